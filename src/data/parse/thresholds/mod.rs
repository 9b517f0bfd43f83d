//! `data/thresholds/<iso3>.yaml`: one country's instruments (laws, guidelines), each with its
//! sources, its own land-use and value-type terms mapped to the common classes, and its values.
//! This module owns the file's shape as serde reads it and the country and instrument checks;
//! a value's checks are in [`values`], duplicates and overlapping pH bands in [`identities`].

mod identities;
mod values;

use super::{THRESHOLDS_DIR, field, item_spans};
use crate::data::band::Band;
use crate::data::types::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, SourceMap, Span, did_you_mean};
use crate::load::DataFile;
use crate::load::yaml::{self, value_span};
use identities::Identities;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use values::InstrumentCheck;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    country: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    instruments: Vec<RawInstrument>,
}

/// A scalar an editor may write quoted or not (`year: 2013`, `year: "2013 snapshot"`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Number(f64),
    Text(String),
}

impl Scalar {
    fn into_text(self) -> String {
        match self {
            Scalar::Number(n) => n.to_string(),
            Scalar::Text(t) => t,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: String,
    title: String,
    #[serde(default)]
    short: Option<String>,
    #[serde(default)]
    year: Option<Scalar>,
    #[serde(default)]
    issuer: Option<String>,
    /// ISO 3166-2 code of the subdivision that issued a regional instrument (`BE-VLG`).
    #[serde(default)]
    subdivision: Option<String>,
    #[serde(default)]
    status: Status,
    #[serde(default)]
    status_note: Option<String>,
    #[serde(default)]
    basis: Option<String>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default, deserialize_with = "yaml::unique_keys")]
    land_uses: BTreeMap<String, RawTerm>,
    #[serde(default, deserialize_with = "yaml::unique_keys")]
    value_types: BTreeMap<String, RawTerm>,
    #[serde(default)]
    values: Vec<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    title: String,
    #[serde(rename = "where")]
    location: String,
    #[serde(default)]
    url: Option<String>,
    tier: Tier,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    term: String,
    class: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    contaminant: String,
    land_use: String,
    value_type: String,
    value: Scalar,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    ph: Option<String>,
    #[serde(default)]
    texture: Option<Texture>,
    #[serde(default)]
    organic_carbon: Option<String>,
    #[serde(default)]
    extraction: Option<Extraction>,
    #[serde(default)]
    medium: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    basis: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

/// One country file, parsed on its own (in parallel with the others).
struct CountryFile {
    country: Country,
    instruments: Vec<Instrument>,
    /// `instrument` indexes are local to this file until merged.
    records: Vec<Record>,
    /// Span of the `country:` value, for duplicate-country errors.
    code_span: Span,
}

/// Parses the country files (in parallel) and merges them into `db`: countries by name, their
/// instruments and records renumbered to the database's indexes, a second file for a country
/// reported, records sorted and numbered within each contaminant and country. The countries of
/// files that could not be read are kept as defined in a broken file.
pub(super) fn read(
    db: &mut Database,
    files: &[&DataFile],
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) {
    let vocabulary: &Database = db;
    let results: Vec<(Result<CountryFile, Unread>, Diagnostics)> = files
        .par_iter()
        .map(|f| {
            let mut found = Diagnostics::default();
            let parsed = country_file(f, sources, vocabulary, &mut found);
            (parsed, found)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (result, found) in results {
        diagnostics.extend(found);
        match result {
            Ok(file) => parsed.push(file),
            Err(Unread { countries }) => {
                for code in countries {
                    let broken = &mut db.in_broken_files.countries;
                    broken.insert(code.as_str().to_string());
                }
            }
        }
    }
    parsed.sort_by(|a, b| {
        a.country
            .name
            .to_lowercase()
            .cmp(&b.country.name.to_lowercase())
    });

    let mut seen: HashMap<String, Span> = HashMap::new();
    for file in parsed {
        let code = file.country.code.as_str().to_string();
        if let Some(first) = seen.get(&code) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("two data files for country `{code}`"),
                )
                .at(file.code_span.clone(), "second file for this country")
                .also(first.clone(), "first file")
                .help("keep one file per country: move these instruments into the first file"),
            );
            continue;
        }
        seen.insert(code.clone(), file.code_span.clone());
        let country_ix = CountryIx(db.countries.len());
        let offset = db.instruments.len();
        let mut country = file.country;
        country.instruments = (offset..offset + file.instruments.len())
            .map(InstrumentIx)
            .collect();
        db.country_codes.insert(code, country_ix);
        db.countries.push(country);
        db.instruments
            .extend(file.instruments.into_iter().map(|mut i| {
                i.country = country_ix;
                i
            }));
        db.records.extend(file.records.into_iter().map(|mut r| {
            r.country = country_ix;
            r.instrument = InstrumentIx(r.instrument.0 + offset);
            r
        }));
    }
    db.records.sort_by(|a, b| {
        let band = |r: &Record| {
            r.condition
                .ph
                .as_ref()
                .map_or(f64::NEG_INFINITY, Band::sort_key)
        };
        (
            a.contaminant,
            a.country,
            a.land_use.class,
            a.value_type.class,
        )
            .cmp(&(
                b.contaminant,
                b.country,
                b.land_use.class,
                b.value_type.class,
            ))
            .then(band(a).total_cmp(&band(b)))
    });
    // Two records of one file with the same identity were reported and one dropped; equal ids
    // of different identities (a CRC-32 collision, or an id scheme that lost a field) would
    // make anchors and downloads ambiguous, so they are errors too, naming both records.
    let mut ids: HashMap<&str, &Span> = HashMap::new();
    for r in &db.records {
        if let Some(first) = ids.insert(&r.id, &r.span) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateRecord,
                    format!("two records have the id `{}`", r.id),
                )
                .at(r.span.clone(), "this record…")
                .also(first.clone(), "…has the id of this one")
                .help("set one of them apart with a condition (`scope` says in words what case it covers)"),
            );
        }
    }
}

/// A country file that could not be read as one country's (already reported), with the country
/// it was meant for as far as its name and its `country:` line tell.
struct Unread {
    countries: Vec<CountryCode>,
}

impl Unread {
    /// `thresholds/deu.yaml` is Germany's file, whatever its text; so is a file that says
    /// `country: DEU` on a line of its own, even when YAML cannot read the rest.
    fn of(f: &DataFile, text: Option<&str>) -> Unread {
        let stem = f
            .rel
            .strip_prefix(THRESHOLDS_DIR)
            .and_then(|r| r.strip_suffix(".yaml").or_else(|| r.strip_suffix(".yml")));
        let line = text.and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("country:"))
                .and_then(|v| v.split('#').next())
                .map(|v| v.trim().trim_matches(['"', '\'']))
        });
        let mut countries: Vec<CountryCode> = [stem, line]
            .into_iter()
            .flatten()
            .filter_map(|code| CountryCode::parse(code).map(|(c, _)| c))
            .collect();
        countries.dedup();
        Unread { countries }
    }
}

/// One country file, checked against `vocabulary`; what it was meant for when it cannot be
/// read or names no known country, after reporting why.
fn country_file(
    f: &DataFile,
    sources: &SourceMap,
    vocabulary: &Database,
    diagnostics: &mut Diagnostics,
) -> Result<CountryFile, Unread> {
    let source = sources.get(f.file);
    let text = source.text();
    let raw: RawCountry = match yaml::parse_data(source, f.file, "data file") {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(*d);
            return Err(Unread::of(f, Some(text)));
        }
    };
    let whole = 0..text.len();
    let code_span = value_span(text, whole.clone(), "country")
        .map_or_else(|| Span::file_start(f.file), |r| Span::new(f.file, r));
    let country = match CountryCode::parse(&raw.country) {
        Some((code, iso_name)) => Some(Country {
            name: raw.name.clone().unwrap_or(iso_name),
            code,
            notes: raw.notes.clone(),
            instruments: Vec::new(),
            file: f.file,
            rel: f.rel.clone(),
        }),
        None => {
            let all = CountryCode::all();
            let wanted = raw.country.to_ascii_uppercase();
            diagnostics.push(
                Diagnostic::error(
                    Code::DataValue,
                    format!(
                        "`{}` is not an ISO 3166-1 alpha-3 country code",
                        raw.country
                    ),
                )
                .at(code_span.clone(), "unknown country code")
                .help(match did_you_mean(&wanted, all.iter().copied()) {
                    Some(s) => {
                        format!("did you mean `{s}`? Codes have three letters, like `NLD` or `CHN`")
                    }
                    None => "use the three-letter ISO 3166-1 code, like `NLD` or `CHN`".to_string(),
                }),
            );
            None
        }
    };

    let instrument_spans = item_spans(
        f.file,
        text,
        whole,
        Some("instruments"),
        raw.instruments.len(),
    );
    let mut instruments = Vec::with_capacity(raw.instruments.len());
    let mut records = Vec::new();
    let mut identities = Identities::default();
    for (i, (inst, inst_span)) in raw
        .instruments
        .into_iter()
        .zip(instrument_spans)
        .enumerate()
    {
        if instruments.iter().any(|x: &Instrument| x.id == inst.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("instrument `{}` appears twice in this file", inst.id),
                )
                .at(
                    field(&inst_span, text, "id"),
                    "second instrument with this id",
                )
                .help("give each instrument its own `id`"),
            );
        }
        let subdivision = inst.subdivision.as_deref().and_then(|code| {
            subdivision(
                code,
                country.as_ref(),
                field(&inst_span, text, "subdivision"),
                diagnostics,
            )
        });
        let checked = InstrumentCheck::new(&inst, &inst_span, text, vocabulary, diagnostics);
        let value_spans = item_spans(
            f.file,
            text,
            inst_span.range.clone(),
            Some("values"),
            inst.values.len(),
        );
        for (value, span) in inst.values.iter().zip(value_spans) {
            if let Some(mut record) =
                checked.record(value, &span, InstrumentIx(i), text, vocabulary, diagnostics)
                && identities.admit(&record, value, &span, text, diagnostics)
            {
                if let Some(country) = &country {
                    record.id = record_id(
                        &country.code,
                        subdivision.as_ref(),
                        &inst.id,
                        &vocabulary.contaminant(record.contaminant).id,
                        &value.land_use,
                        &value.value_type,
                        &record.condition,
                    );
                }
                records.push(record);
            }
        }
        instruments.push(Instrument {
            id: inst.id,
            country: CountryIx(0),
            title: inst.title,
            short: inst.short,
            year: inst.year.map(Scalar::into_text),
            issuer: inst.issuer,
            subdivision,
            status: inst.status,
            status_note: inst.status_note,
            basis: inst.basis,
            sources: inst
                .sources
                .into_iter()
                .map(|s| Source {
                    id: s.id,
                    title: s.title,
                    location: s.location,
                    url: s.url,
                    tier: s.tier,
                })
                .collect(),
        });
    }
    Ok(CountryFile {
        country: country.ok_or_else(|| Unread::of(f, None))?,
        instruments,
        records,
        code_span,
    })
}

/// The subdivision `code` names, when it is an ISO 3166-2 code of `country` (the file's country,
/// when that could be read); `None` after reporting why not (`at` is where the code is written).
fn subdivision(
    code: &str,
    country: Option<&Country>,
    at: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Subdivision> {
    let Some((found, alpha2)) = Subdivision::parse(code) else {
        diagnostics.push(
            Diagnostic::error(
                Code::DataValue,
                format!("`{code}` is not an ISO 3166-2 subdivision code"),
            )
            .at(at, "unknown subdivision")
            .help("write the ISO 3166-2 code: the country's two letters, a hyphen and the subdivision's code, like `BE-VLG` or `CA-QC`"),
        );
        return None;
    };
    // A country file that names no known country was reported already.
    let country = country?;
    if country.code.alpha2() == Some(alpha2) {
        return Some(found);
    }
    let iso_country = rust_iso3166::from_alpha2(alpha2).map_or(alpha2, |c| c.name);
    diagnostics.push(
        Diagnostic::error(
            Code::DataValue,
            format!(
                "subdivision `{}` ({}) belongs to {iso_country}, not to `{}`",
                found.code,
                found.name,
                country.code.as_str()
            ),
        )
        .at(at, format!("not a subdivision of {}", country.name))
        .help(match country.code.alpha2() {
            Some(a2) => format!(
                "a subdivision of this file's country starts with `{a2}-`; move the instrument to the file of the country it belongs to"
            ),
            None => "this jurisdiction has no ISO 3166-2 subdivisions; move the instrument to the file of the country it belongs to".to_string(),
        }),
    );
    None
}

/// Country files for the tests: [`super::testing::VOCABULARY`] and one file with `values`
/// under an instrument that has `agri` and `sv` as its land use and value type.
#[cfg(test)]
mod testing {
    use super::super::testing::{Read, VOCABULARY, read};

    /// The text of a country file `country` whose one instrument has `values` (list items,
    /// indented for the place).
    pub fn country(country: &str, values: &str) -> String {
        format!(
            "country: {country}\ninstruments:\n  - id: decree\n    title: Decree\n    sources:\n      - {{ id: s, title: S, where: w, tier: primary }}\n    land_uses:\n      agri: {{ term: farmland, class: agricultural }}\n    value_types:\n      sv: {{ term: screening value, class: screening }}\n    values:\n{values}"
        )
    }

    /// Reads one country file with the vocabulary.
    pub fn read_country(text: &str) -> Read {
        let mut files = VOCABULARY.to_vec();
        files.push(("thresholds/x.yaml", text));
        read(&files)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{country, read_country};

    #[test]
    fn an_unknown_country_code_is_located_at_the_code_with_the_closest_one() {
        let text = country(
            "NLDD",
            "      - { contaminant: cd, land_use: agri, value_type: sv, value: 1, unit: mg/kg }\n",
        );
        let read = read_country(&text);
        assert_eq!(
            read.located(),
            [(
                "`NLDD` is not an ISO 3166-1 alpha-3 country code".to_string(),
                "data/thresholds/x.yaml".to_string(),
                "NLDD"
            )]
        );
        assert_eq!(read.first_range(), 9..13);
        let help = read.first_help();
        assert!(help.starts_with("did you mean `NLD`?"), "{help}");
        assert!(read.db.countries.is_empty());
    }

    #[test]
    fn a_class_outside_the_vocabulary_is_located_at_the_class() {
        let text = country(
            "NLD",
            "      - { contaminant: cd, land_use: agri, value_type: sv, value: 1, unit: mg/kg }\n",
        )
        .replace("class: agricultural", "class: agriculture");
        let read = read_country(&text);
        let located = read.located();
        assert_eq!(located.len(), 1, "{located:?}");
        assert_eq!(located[0].0, "unknown land use class `agriculture`");
        assert_eq!(located[0].2, "agriculture");
        let at = text.find("agriculture").unwrap();
        assert_eq!(read.first_range(), at..at + "agriculture".len());
    }

    #[test]
    fn record_ids_come_from_what_identifies_a_record_not_its_place_or_value() {
        let line = |value: &str, ph: &str| {
            format!(
                "      - {{ contaminant: cd, land_use: agri, value_type: sv, value: {value}, unit: mg/kg, ph: \"{ph}\" }}\n"
            )
        };
        let ids = |values: &str| -> Vec<String> {
            let read = read_country(&country("NLD", values));
            assert_eq!(read.located(), []);
            let mut ids: Vec<String> = read.db.records.iter().map(|r| r.id.clone()).collect();
            ids.sort();
            ids
        };
        let before = ids(&(line("1", "pH <= 5") + &line("2", "pH > 6")));
        assert!(
            before.iter().all(|id| id.starts_with("nld-cd-")),
            "{before:?}"
        );
        assert_ne!(before[0], before[1]);
        // A row inserted between them, the rows reordered, a number corrected: same ids.
        let after =
            ids(&(line("2", "pH > 6") + &line("1.5", "5 < pH <= 6") + &line("9", "pH <= 5")));
        assert_eq!(after.len(), 3);
        assert!(
            before.iter().all(|id| after.contains(id)),
            "{before:?} {after:?}"
        );
    }

    #[test]
    fn two_records_with_one_id_are_an_error_naming_both() {
        // Two scopes whose identities hash alike (found by search: a CRC-32 collision), so the
        // records differ but their ids would not.
        use crate::data::{Condition, CountryCode, record_id};
        let code = CountryCode::parse("NLD").unwrap().0;
        let id = |scope: &str| {
            let condition = Condition {
                scope: Some(scope.to_string()),
                ..Condition::default()
            };
            record_id(&code, None, "decree", "cd", "agri", "sv", &condition)
        };
        let mut seen = std::collections::HashMap::new();
        let (a, b) = (0..1_000_000)
            .find_map(|i| {
                // Spread over the whole text: CRC-32 never confuses texts that differ in a few
                // neighbouring bytes, so counting alone would find no collision.
                let scope = format!("case {}", (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                seen.insert(id(&scope), scope.clone())
                    .map(|first| (first, scope))
            })
            .expect("a collision within a million scopes");
        let line = |scope: &str| {
            format!(
                "      - {{ contaminant: cd, land_use: agri, value_type: sv, value: 1, unit: mg/kg, scope: \"{scope}\" }}\n"
            )
        };
        let text = country("NLD", &(line(&a) + &line(&b)));
        let read = read_country(&text);
        let located = read.located();
        assert_eq!(located.len(), 1, "{located:?}");
        assert_eq!(
            located[0].0,
            format!("two records have the id `{}`", id(&a))
        );
        let d = read.diagnostics.iter().next().unwrap();
        let (first, second) = (&d.secondary[0].0, read.first_range());
        assert_eq!(&text[first.range.clone()], line(&a).trim());
        assert_eq!(&text[second], line(&b).trim());
    }

    #[test]
    fn a_subdivision_of_another_country_is_located_at_its_code() {
        let text = country(
            "BEL",
            "      - { contaminant: cd, land_use: agri, value_type: sv, value: 1, unit: mg/kg }\n",
        )
        .replace(
            "    title: Decree\n",
            "    title: Decree\n    subdivision: CA-QC\n",
        );
        let read = read_country(&text);
        let located = read.located();
        assert_eq!(located.len(), 1, "{located:?}");
        assert_eq!(
            located[0].0,
            "subdivision `CA-QC` (Quebec) belongs to Canada, not to `BEL`"
        );
        assert_eq!(located[0].2, "CA-QC");
        let ok = text.replace("CA-QC", "BE-VLG");
        let read = read_country(&ok);
        assert_eq!(read.located(), []);
        let db = &read.db;
        assert_eq!(
            db.jurisdiction_name(&db.records[0], 0),
            "Belgium (Vlaams Gewest)"
        );
    }

    #[test]
    fn a_broken_country_file_defines_its_country_by_its_name_and_its_country_line() {
        use crate::data::Defined;
        let mut files = super::super::testing::VOCABULARY.to_vec();
        files.push(("thresholds/che.yaml", "country: CHE\nname: \"Switzerland\n"));
        files.push((
            "thresholds/notes.yaml",
            "country: \"AUT\" # Austria\ninstruments: [\n",
        ));
        files.push(("thresholds/nld.yaml", "country: NLX\ninstruments: []\n"));
        let read = super::super::testing::read(&files);
        assert_eq!(read.located().len(), 3, "{:?}", read.located());
        for code in ["CHE", "AUT", "NLD"] {
            assert_eq!(
                read.db.country_by_code(code),
                Defined::InBrokenFile,
                "{code}"
            );
        }
        assert_eq!(read.db.country_by_code("CHN"), Defined::Unknown);
        assert_eq!(
            read.db.country_by_code("NLX"),
            Defined::Unknown,
            "not a country"
        );
    }
}

//! From YAML text to the typed [`Database`]: serde reads the shape (and reports malformed YAML,
//! unknown keys and wrong types), then every id, unit, band and source is checked here with its
//! location found again in the text.

use super::band::{Band, Property};
use super::types::*;
use super::units::{Quantity, Unit};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, FileId, SourceMap, Span, did_you_mean};
use crate::load::DataFile;
use crate::load::yaml::{self, sequence_items, value_span};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

const CONTAMINANTS: &str = "contaminants.yaml";
const LAND_USES: &str = "land-uses.yaml";
const VALUE_TYPES: &str = "value-types.yaml";
const THRESHOLDS_DIR: &str = "thresholds/";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContaminant {
    id: String,
    name: String,
    #[serde(default)]
    symbol: Option<String>,
    #[serde(default)]
    cas: Option<String>,
    group: Group,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
}

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
    #[serde(default)]
    status: Status,
    #[serde(default)]
    status_note: Option<String>,
    #[serde(default)]
    basis: Option<String>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    land_uses: BTreeMap<String, RawTerm>,
    #[serde(default)]
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

/// The vocabulary country files are checked against.
struct Vocabulary<'a> {
    contaminants: &'a [Contaminant],
    contaminant_ids: &'a HashMap<String, ContaminantIx>,
    land_uses: &'a [Class],
    value_types: &'a [Class],
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

pub(super) fn database(
    files: &[DataFile],
    sources: &SourceMap,
    languages: &[String],
) -> (Database, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut db = Database::default();
    let mut country_files = Vec::new();
    let mut name_files = Vec::new();
    for f in files {
        if let Some((kind, lang)) = names_file(&f.rel, languages) {
            name_files.push((f, kind, lang));
            continue;
        }
        match f.rel.as_str() {
            CONTAMINANTS => db.contaminants = contaminants(f.file, sources, &mut diagnostics),
            LAND_USES => db.land_uses = classes(f.file, sources, "land use", &mut diagnostics),
            VALUE_TYPES => db.value_types = classes(f.file, sources, "value type", &mut diagnostics),
            rel if rel.starts_with(THRESHOLDS_DIR) => country_files.push(f),
            _ => diagnostics.push(
                Diagnostic::warning(Code::UnusedData, format!("data file `{}` is not used", f.rel))
                    .at(Span::file_start(f.file), "Pedon does not read this file")
                    .help(format!(
                        "Pedon reads data/{CONTAMINANTS}, data/{LAND_USES}, data/{VALUE_TYPES}, data/{THRESHOLDS_DIR}<iso3>.yaml, and names in a declared language (data/contaminants.fr.yaml, land-uses, value-types, countries); move or rename it"
                    )),
            ),
        }
    }
    // Reading order: contaminants by group, then name. Records sort by index, so sort first.
    db.contaminants
        .sort_by_key(|c| (c.group, c.name.to_lowercase()));
    db.contaminant_ids = db
        .contaminants
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), ContaminantIx(i)))
        .collect();

    let vocabulary = Vocabulary {
        contaminants: &db.contaminants,
        contaminant_ids: &db.contaminant_ids,
        land_uses: &db.land_uses,
        value_types: &db.value_types,
    };
    let parsed: Vec<(Option<CountryFile>, Diagnostics)> = country_files
        .par_iter()
        .map(|f| {
            let mut found = Diagnostics::default();
            let parsed = country_file(f, sources, &vocabulary, &mut found);
            (parsed, found)
        })
        .collect();
    let mut parsed: Vec<CountryFile> = parsed
        .into_iter()
        .filter_map(|(p, found)| {
            diagnostics.extend(found);
            p
        })
        .collect();
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
    let mut seen: HashMap<(ContaminantIx, CountryIx), usize> = HashMap::new();
    for r in &mut db.records {
        let n = seen.entry((r.contaminant, r.country)).or_default();
        *n += 1;
        r.ordinal = *n;
    }
    db.names = vec![Names::default(); languages.len()];
    for (f, kind, lang) in name_files {
        names(&mut db, f.file, sources, kind, lang, &mut diagnostics);
    }
    (db, diagnostics)
}

/// What a file of names in another language names.
#[derive(Clone, Copy)]
enum NamesOf {
    Contaminants,
    LandUses,
    ValueTypes,
    Countries,
}

/// `contaminants.fr.yaml` → contaminants, French; `None` for other files.
fn names_file(rel: &str, languages: &[String]) -> Option<(NamesOf, usize)> {
    let stem = rel
        .strip_suffix(".yaml")
        .or_else(|| rel.strip_suffix(".yml"))?;
    let (base, code) = stem.rsplit_once('.')?;
    let lang = languages.iter().skip(1).position(|l| l == code)? + 1;
    let kind = match base {
        "contaminants" => NamesOf::Contaminants,
        "land-uses" => NamesOf::LandUses,
        "value-types" => NamesOf::ValueTypes,
        "countries" => NamesOf::Countries,
        _ => return None,
    };
    Some((kind, lang))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
}

/// One language's names of contaminants, land uses, value types or countries. An id that the
/// original vocabulary lacks is an error with the closest id; an id left out keeps its name in
/// the default language.
fn names(
    db: &mut Database,
    file: FileId,
    sources: &SourceMap,
    kind: NamesOf,
    lang: usize,
    diagnostics: &mut Diagnostics,
) {
    let text = &sources.get(file).text;
    let items: Vec<(RawName, Span)> = top_level_list(file, sources, diagnostics);
    for (item, span) in items {
        let found = match kind {
            NamesOf::Contaminants => db.find_contaminant(&item.id).map(|ix| {
                db.names[lang].contaminants.insert(ix, item.name.clone());
            }),
            NamesOf::LandUses => db.find_land_use(&item.id).map(|ix| {
                db.names[lang]
                    .land_uses
                    .insert(ix, (item.name.clone(), item.description.clone()));
            }),
            NamesOf::ValueTypes => db.find_value_type(&item.id).map(|ix| {
                db.names[lang]
                    .value_types
                    .insert(ix, (item.name.clone(), item.description.clone()));
            }),
            NamesOf::Countries => db.find_country(&item.id).map(|ix| {
                db.names[lang].countries.insert(ix, item.name.clone());
            }),
        };
        if found.is_some() {
            continue;
        }
        let (what, known): (&str, Vec<&str>) = match kind {
            NamesOf::Contaminants => ("contaminant", db.contaminant_ids().collect()),
            NamesOf::LandUses => (
                "land use",
                db.land_uses.iter().map(|c| c.id.as_str()).collect(),
            ),
            NamesOf::ValueTypes => (
                "value type",
                db.value_types.iter().map(|c| c.id.as_str()).collect(),
            ),
            NamesOf::Countries => ("country", db.country_codes().collect()),
        };
        let suggestion = did_you_mean(&item.id, known.iter().copied()).map(str::to_string);
        diagnostics.push(
            Diagnostic::error(Code::DataValue, format!("unknown {what} `{}`", item.id))
                .at(field(&span, text, "id"), format!("no {what} has this id"))
                .help(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "a file of names translates the ids of the default vocabulary: use an id of that {what}"
                    ),
                }),
        );
    }
}

fn is_slug(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Spans of the items of a list, or the file start for each when the list is not in block style.
fn item_spans(
    file: FileId,
    text: &str,
    within: Range<usize>,
    key: Option<&str>,
    count: usize,
) -> Vec<Span> {
    let items = sequence_items(text, within.clone(), key);
    if items.len() == count {
        items
            .into_iter()
            .map(|r| Span::new(file, r.start..r.start + text[r].trim_end().len()))
            .collect()
    } else {
        let at = key
            .and_then(|k| value_span(text, within.clone(), k))
            .unwrap_or(within.start..within.start);
        vec![Span::new(file, at); count]
    }
}

/// Span of `key`'s value in `item`, or the item itself.
fn field(item: &Span, text: &str, key: &str) -> Span {
    value_span(text, item.range.clone(), key).map_or_else(
        || Span::new(item.file, item.range.start..item.range.start),
        |r| Span::new(item.file, r),
    )
}

/// A data file that is a YAML list, each item with its span; empty after reporting bad YAML.
fn top_level_list<T: serde::de::DeserializeOwned>(
    file: FileId,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> Vec<(T, Span)> {
    let source = sources.get(file);
    let raw: Vec<T> = match yaml::parse_data(source, file, "data file") {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(*d);
            return Vec::new();
        }
    };
    let spans = item_spans(file, &source.text, 0..source.text.len(), None, raw.len());
    raw.into_iter().zip(spans).collect()
}

fn contaminants(
    file: FileId,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> Vec<Contaminant> {
    let source = sources.get(file);
    let items: Vec<(RawContaminant, Span)> = top_level_list(file, sources, diagnostics);
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::with_capacity(items.len());
    for (c, span) in items {
        let id_span = field(&span, &source.text, "id");
        if !is_slug(&c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DataValue,
                    format!("contaminant id `{}` is not a slug", c.id),
                )
                .at(id_span.clone(), "used in URLs and `contaminant:` links")
                .help("use lower-case letters, digits, `_` and `-` (e.g. `cd`, `cr_vi`, `24-d`)"),
            );
            continue;
        }
        if let Some(first) = seen.get(&c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("contaminant `{}` is defined twice", c.id),
                )
                .at(id_span, "defined again here")
                .also(first.clone(), "first defined here")
                .help("merge the two entries or give one another id"),
            );
            continue;
        }
        if let Some(cas) = &c.cas
            && !valid_cas(cas)
        {
            diagnostics.push(
                Diagnostic::error(Code::DataValue, format!("`{cas}` is not a valid CAS number"))
                    .at(field(&span, &source.text, "cas"), "wrong form or check digit")
                    .help("CAS numbers look like `7440-43-9`; the last digit checks the others: copy it again from the source"),
            );
        }
        seen.insert(c.id.clone(), id_span);
        out.push(Contaminant {
            id: c.id,
            name: c.name,
            symbol: c.symbol,
            cas: c.cas.filter(|cas| valid_cas(cas)),
            group: c.group,
            aliases: c.aliases,
            span,
        });
    }
    out
}

fn classes(
    file: FileId,
    sources: &SourceMap,
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Class> {
    let source = sources.get(file);
    let items: Vec<(RawClass, Span)> = top_level_list(file, sources, diagnostics);
    let mut out: Vec<Class> = Vec::with_capacity(items.len());
    for (c, span) in items {
        let id_span = field(&span, &source.text, "id");
        if !is_slug(&c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DataValue,
                    format!("{what} id `{}` is not a slug", c.id),
                )
                .at(id_span, "not a slug")
                .help("use lower-case letters, digits, `_` and `-`"),
            );
        } else if out.iter().any(|o| o.id == c.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("{what} `{}` is defined twice", c.id),
                )
                .at(id_span, "defined again here")
                .help("remove one of the two entries"),
            );
        } else {
            out.push(Class {
                id: c.id,
                name: c.name,
                description: c.description,
            });
        }
    }
    out
}

fn country_file(
    f: &DataFile,
    sources: &SourceMap,
    vocabulary: &Vocabulary,
    diagnostics: &mut Diagnostics,
) -> Option<CountryFile> {
    let source = sources.get(f.file);
    let text = source.text.as_str();
    let raw: RawCountry = match yaml::parse_data(source, f.file, "data file") {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(*d);
            return None;
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
        let checked = InstrumentCheck::new(&inst, &inst_span, text, vocabulary, diagnostics);
        let value_spans = item_spans(
            f.file,
            text,
            inst_span.range.clone(),
            Some("values"),
            inst.values.len(),
        );
        for (value, span) in inst.values.iter().zip(value_spans) {
            if let Some(record) =
                checked.record(value, &span, InstrumentIx(i), text, vocabulary, diagnostics)
                && identities.admit(&record, value, &span, text, diagnostics)
            {
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
                    tier: s.tier,
                })
                .collect(),
        });
    }
    Some(CountryFile {
        country: country?,
        instruments,
        records,
        code_span,
    })
}

/// An instrument's local vocabulary, checked once, for checking its values.
struct InstrumentCheck<'r> {
    land_uses: HashMap<&'r str, (String, Option<LandUseIx>)>,
    value_types: HashMap<&'r str, (String, Option<ValueTypeIx>)>,
    sources: Vec<&'r str>,
    id: &'r str,
}

impl<'r> InstrumentCheck<'r> {
    fn new(
        inst: &'r RawInstrument,
        span: &Span,
        text: &str,
        vocabulary: &Vocabulary,
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
        let class_of = |key: &str,
                        class: &str,
                        known: &[Class],
                        what: &str,
                        diagnostics: &mut Diagnostics| {
            let found = known.iter().position(|c| c.id == class);
            if found.is_none() {
                let term_span = field(span, text, key);
                let at = field(&term_span, text, "class");
                diagnostics.push(
                        Diagnostic::error(
                            Code::UnknownReference,
                            format!("unknown {what} class `{class}`"),
                        )
                        .at(at, format!("not in the common {what} vocabulary"))
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
            found
        };
        let land_uses = inst
            .land_uses
            .iter()
            .map(|(k, t)| {
                let ix = class_of(k, &t.class, vocabulary.land_uses, "land use", diagnostics)
                    .map(LandUseIx);
                (k.as_str(), (t.term.clone(), ix))
            })
            .collect();
        let value_types = inst
            .value_types
            .iter()
            .map(|(k, t)| {
                let ix = class_of(
                    k,
                    &t.class,
                    vocabulary.value_types,
                    "value type",
                    diagnostics,
                )
                .map(ValueTypeIx);
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
    fn record(
        &self,
        v: &RawValue,
        span: &Span,
        instrument: InstrumentIx,
        text: &str,
        vocabulary: &Vocabulary,
        diagnostics: &mut Diagnostics,
    ) -> Option<Record> {
        let before = diagnostics.errors();
        let at = |key: &str| field(span, text, key);

        let contaminant = vocabulary
            .contaminant_ids
            .get(&v.contaminant.to_ascii_lowercase())
            .copied();
        if contaminant.is_none() {
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
            contaminant: contaminant?,
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
            ordinal: 0,
            span: span.clone(),
        })
    }
}

fn suggest_contaminant(wanted: &str, vocabulary: &Vocabulary) -> String {
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
        Some((_, None)) => None, // its class was reported where the term is declared
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
struct Identities {
    seen: HashMap<Identity, Vec<(Option<Band>, Span)>>,
}

impl Identities {
    fn admit(
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

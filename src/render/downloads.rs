//! The whole database as CSV and JSON, with a JSON Schema: one row per record, in the explorer's
//! order, with the same values the pages show (the canonical value and the value as given).

use super::thresholds::{CSV_PATH, DATAPACKAGE_PATH, JSON_PATH, SCHEMA_PATH};
use crate::data::{Amount, Database};
use crate::output::Output;
use serde::Serialize;

/// One record, flattened for people who open it in a spreadsheet.
#[derive(Serialize)]
struct Row<'a> {
    /// The record's stable id, also its row anchor on the site: what citations and a later
    /// import's merge refer to.
    record_id: &'a str,
    contaminant_id: &'a str,
    contaminant: &'a str,
    cas: Option<&'a str>,
    country_code: &'a str,
    country: &'a str,
    /// ISO 3166-2, for a regional instrument (`BE-VLG`); empty for a national one.
    subdivision_code: Option<&'a str>,
    subdivision: Option<&'a str>,
    instrument: &'a str,
    instrument_year: Option<&'a str>,
    instrument_status: &'static str,
    land_use: &'a str,
    land_use_national: &'a str,
    value_type: &'a str,
    value_type_national: &'a str,
    /// Canonical, in mg/kg dry weight; empty when the instrument sets no value.
    value_mg_per_kg: Option<f64>,
    value_as_given: Option<&'a str>,
    unit_as_given: Option<&'static str>,
    ph: Option<String>,
    texture: Option<&'static str>,
    organic_carbon: Option<String>,
    extraction: Option<&'static str>,
    medium: Option<&'a str>,
    scope: Option<&'a str>,
    basis: Option<&'a str>,
    note: Option<&'a str>,
    source_title: &'a str,
    source_where: &'a str,
    /// The one address to follow, where there is one.
    source_url: Option<&'a str>,
    source_tier: &'static str,
}

/// The CSV's columns for `datapackage.json`: name, Frictionless type, what it holds. In the
/// order of [`Row`]'s fields, which is the CSV header's (a test holds them equal).
pub const COLUMNS: &[(&str, &str, &str)] = &[
    (
        "record_id",
        "string",
        "Stable identifier of the record (country, contaminant and a hash of what identifies it, never of its value or position)",
    ),
    (
        "contaminant_id",
        "string",
        "Identifier of the contaminant in this database (cd, pb, bap)",
    ),
    (
        "contaminant",
        "string",
        "Name of the contaminant, in English",
    ),
    (
        "cas",
        "string",
        "CAS Registry Number, where the substance has one",
    ),
    (
        "country_code",
        "string",
        "ISO 3166-1 alpha-3 code of the jurisdiction (EUU for the European Union)",
    ),
    ("country", "string", "Name of the jurisdiction, in English"),
    (
        "subdivision_code",
        "string",
        "ISO 3166-2 code of the region, for a regional instrument (BE-VLG, CA-QC, BR-MG)",
    ),
    (
        "subdivision",
        "string",
        "Name of the region, for a regional instrument",
    ),
    (
        "instrument",
        "string",
        "The law, regulation or guideline that sets the value",
    ),
    ("instrument_year", "string", "Year of the instrument"),
    (
        "instrument_status",
        "string",
        "in force, dated (a snapshot that may have been revised) or superseded",
    ),
    (
        "land_use",
        "string",
        "Land-use class of this database (agricultural, residential, …)",
    ),
    (
        "land_use_national",
        "string",
        "The land use as the instrument names it",
    ),
    (
        "value_type",
        "string",
        "Value-type class of this database (screening, intervention, …)",
    ),
    (
        "value_type_national",
        "string",
        "The value type as the instrument names it",
    ),
    (
        "value_mg_per_kg",
        "number",
        "The value in mg/kg dry weight; empty where the instrument sets no value",
    ),
    (
        "value_as_given",
        "string",
        "The value as the instrument writes it",
    ),
    (
        "unit_as_given",
        "string",
        "The unit as the instrument writes it",
    ),
    ("ph", "string", "pH band the value applies to"),
    ("texture", "string", "Soil texture the value applies to"),
    (
        "organic_carbon",
        "string",
        "Organic-carbon band the value applies to",
    ),
    (
        "extraction",
        "string",
        "Extraction or measurand (aqua regia, ammonium nitrate, total, …)",
    ),
    ("medium", "string", "Medium, where not soil"),
    ("scope", "string", "Further scope of the value"),
    (
        "basis",
        "string",
        "Basis of the value (dry weight, extraction standard)",
    ),
    (
        "note",
        "string",
        "Conditions and caveats that travel with the value",
    ),
    ("source_title", "string", "The text the value was read in"),
    ("source_where", "string", "Where that text was read"),
    ("source_url", "string", "The address of the source text"),
    (
        "source_tier",
        "string",
        "primary (read in the official text) or secondary (read in a copy)",
    ),
];

fn rows(db: &Database) -> Vec<Row<'_>> {
    db.records
        .iter()
        .map(|r| {
            let c = db.contaminant(r.contaminant);
            let country = db.country(r.country);
            let inst = db.instrument(r.instrument);
            let source = db.source(r);
            let (value_as_given, unit_as_given) = match &r.amount {
                Amount::Value(q) => (Some(q.written.as_str()), Some(q.unit.as_str())),
                Amount::NoValue => (None, None),
            };
            Row {
                record_id: &r.id,
                contaminant_id: &c.id,
                contaminant: &c.name,
                cas: c.cas.as_deref(),
                country_code: country.code.as_str(),
                country: &country.name,
                subdivision_code: inst.subdivision.as_ref().map(|s| s.code.as_str()),
                subdivision: inst.subdivision.as_ref().map(|s| s.name.as_str()),
                instrument: &inst.title,
                instrument_year: inst.year.as_deref(),
                instrument_status: inst.status.label(),
                land_use: &db.land_use(r.land_use.class).id,
                land_use_national: &r.land_use.national,
                value_type: &db.value_type(r.value_type.class).id,
                value_type_national: &r.value_type.national,
                value_mg_per_kg: r.amount.mg_per_kg(),
                value_as_given,
                unit_as_given,
                ph: r.condition.ph.map(|b| b.to_string()),
                texture: r.condition.texture.map(|t| t.label()),
                organic_carbon: r.condition.organic_carbon.map(|b| b.to_string()),
                extraction: r.condition.extraction.map(|e| e.label()),
                medium: r.condition.medium.as_deref(),
                scope: r.condition.scope.as_deref(),
                basis: r.basis.as_deref().or(inst.basis.as_deref()),
                note: r.note.as_deref(),
                source_title: &source.title,
                source_where: &source.location,
                source_url: source.url.as_deref(),
                source_tier: source.tier.label(),
            }
        })
        .collect()
}

/// Adds the downloads to the output: CSV, JSON, the JSON's schema and the CSV's data package.
pub fn add(db: &Database, config: &crate::config::Config, date: &str, output: &mut Output) {
    let rows = rows(db);
    let mut csv = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        csv.serialize(row).expect("serializing to memory");
    }
    let csv = csv.into_inner().expect("flushing to memory");
    let json = serde_json::json!({
        "$schema": "thresholds.schema.json",
        "records": rows,
    });
    output.add(CSV_PATH.into(), csv);
    output.add(
        JSON_PATH.into(),
        serde_json::to_vec_pretty(&json).expect("JSON of plain data"),
    );
    output.add(SCHEMA_PATH.into(), SCHEMA.as_bytes().to_vec());
    let package = super::dataset::datapackage(config, date, COLUMNS);
    output.add(
        DATAPACKAGE_PATH.into(),
        serde_json::to_vec_pretty(&package).expect("JSON of plain data"),
    );
}

/// The schema of `thresholds.json`; the tests check every record against it.
const SCHEMA: &str = include_str!("thresholds.schema.json");

//! The dataset page: how to cite and reuse the threshold database. A regulator who quotes a
//! value needs a reference that names the edition and date of the data, the licence under which
//! it may be reused (or that none has been decided), and how much each jurisdiction's values can
//! be relied on: how many there are and whether they were read in the official text.

use super::markdown::relative_url;
use super::shown::View;
use super::thresholds::{CSV_PATH, DATAPACKAGE_PATH, JSON_PATH, SCHEMA_PATH};
use crate::data::{CountryIx, Database, Status, Tier};
use crate::model::Page;
use serde::Serialize;

/// What `dataset.html` sees, as `page.data.dataset`.
#[derive(Serialize)]
pub struct DatasetView {
    /// The reference to paste into a report, in the page's language.
    pub citation: String,
    pub bibtex: String,
    /// `licence` of `pedon.toml`; `None` shows that no licence has been decided.
    pub licence: Option<String>,
    pub version: Option<String>,
    /// The date of this edition of the data (the build's date), `YYYY-MM-DD`.
    pub date: String,
    pub records: usize,
    pub coverage: Vec<CoverageRow>,
    /// The coverage map (inline SVG) over the coverage table (`matrix.rs`).
    pub map: super::html::Trusted,
    pub csv: String,
    pub json: String,
    pub schema: String,
    pub datapackage: String,
    /// The empty CSV template for surveys (`pedon data import` reads it back).
    pub template: String,
    /// What changed since the previous release (`data/releases/`); `None` when there is none.
    pub changes: Option<ChangeLog>,
}

/// Records added, changed and removed since the previous release, by record id.
#[derive(Serialize)]
pub struct ChangeLog {
    /// The previous release's name (`2026.1`).
    pub since: String,
    /// "Since release 2026.1: 3 values added, …" in the page's language.
    pub summary: String,
    pub added: Vec<ChangeRow>,
    pub changed: Vec<ChangeRow>,
    pub removed: Vec<ChangeRow>,
}

/// One record of the change log.
#[derive(Serialize)]
pub struct ChangeRow {
    pub id: String,
    pub contaminant: String,
    pub country: String,
    /// The record's row, relative to the dataset page (none for a removed record).
    pub url: Option<String>,
    /// The value as given then and now (`0.3 mg/kg`), where there was one.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One jurisdiction's part of the database.
#[derive(Serialize)]
pub struct CoverageRow {
    pub name: String,
    pub code: String,
    /// Its page, relative to the dataset page.
    pub url: Option<String>,
    pub values: usize,
    pub contaminants: usize,
    pub instruments: usize,
    /// Values read in the official text, and in a copy of it.
    pub primary: usize,
    pub secondary: usize,
    /// Values of instruments that are dated or superseded.
    pub not_in_force: usize,
    /// A jurisdiction with a single value: shown as such, so that nobody reads the table as
    /// saying the country regulates one substance.
    pub single: bool,
}

/// `YYYY-MM-DD` of the build, which honours `SOURCE_DATE_EPOCH`.
pub fn edition_date(view: &View) -> String {
    let (y, m, d, ..) = view.now().civil();
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn view(site: &View, page: &Page) -> DatasetView {
    let db = site.data();
    let config = site.config();
    let locale = site.locale(page.lang);
    let date = edition_date(site);
    let title = locale.t("dataset_name");
    let organisation = config.title.as_str();
    let url = super::context::canonical_url(config, &page.url);
    let version = config.version.clone();

    let mut citation = format!("{organisation} ({}). {title}", &date[..4]);
    if let Some(v) = &version {
        citation.push_str(&format!(", {} {v}", locale.t("version").to_lowercase()));
    }
    citation.push_str(&format!(" ({date}). {url}"));
    let bibtex = format!(
        "@misc{{insop_thresholds_{year},\n  author = {{{{{organisation}}}}},\n  title = {{{title}}},\n  year = {{{year}}},\n{version}  date = {{{date}}},\n  url = {{{url}}},\n  note = {{{licence}}}\n}}",
        year = &date[..4],
        version = version
            .as_deref()
            .map(|v| format!("  version = {{{v}}},\n"))
            .unwrap_or_default(),
        licence = match &config.licence {
            Some(l) => format!("Licence: {l}"),
            None => "No licence has been decided yet".to_string(),
        },
    );

    let coverage = coverage(site, page, db);
    DatasetView {
        citation,
        bibtex,
        licence: config.licence.clone(),
        version,
        date,
        records: db.records.len(),
        coverage,
        map: super::matrix::dataset_map(site, page),
        csv: relative_url(&page.url, CSV_PATH),
        json: relative_url(&page.url, JSON_PATH),
        schema: relative_url(&page.url, SCHEMA_PATH),
        datapackage: relative_url(&page.url, DATAPACKAGE_PATH),
        template: relative_url(&page.url, super::downloads::TEMPLATE_PATH),
        changes: change_log(site, page, db),
    }
}

/// The value as the source wrote it with its unit, as the published JSON has it.
fn as_given(value: Option<&str>, unit: Option<&str>) -> Option<String> {
    value.map(|v| match unit {
        Some(u) => format!("{v} {u}"),
        None => v.to_string(),
    })
}

/// Compares the database with the previous release by record id: a record whose value or unit
/// as given differs is changed; ids only in one of them are added or removed.
pub fn change_log(site: &View, page: &Page, db: &Database) -> Option<ChangeLog> {
    let previous = db.previous.as_ref()?;
    let lang = page.lang.0;
    let then: std::collections::HashMap<&str, &crate::data::PreviousRecord> = previous
        .records
        .iter()
        .map(|r| (r.record_id.as_str(), r))
        .collect();
    let mut log = ChangeLog {
        since: previous.name.clone(),
        summary: String::new(),
        added: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
    };
    let mut now = std::collections::HashSet::new();
    for (i, r) in db.records.iter().enumerate() {
        now.insert(r.id.as_str());
        let (value, unit) = match &r.amount {
            crate::data::Amount::Value(q) => (Some(q.written.as_str()), Some(q.unit.as_str())),
            crate::data::Amount::NoValue => (None, None),
        };
        let after = as_given(value, unit);
        let url = site
            .contaminant_page(r.contaminant, page.lang)
            .map(|p| format!("{}#{}", relative_url(&page.url, p.url), r.id));
        let row = |before: Option<String>| ChangeRow {
            id: r.id.clone(),
            contaminant: db.contaminant_name(r.contaminant, lang).to_string(),
            country: db.jurisdiction_name(&db.records[i], lang),
            url: url.clone(),
            before,
            after: after.clone(),
        };
        match then.get(r.id.as_str()) {
            None => log.added.push(row(None)),
            Some(old) => {
                let before = as_given(old.value_as_given.as_deref(), old.unit_as_given.as_deref());
                if before != after {
                    log.changed.push(row(before));
                }
            }
        }
    }
    for old in &previous.records {
        if !now.contains(old.record_id.as_str()) {
            log.removed.push(ChangeRow {
                id: old.record_id.clone(),
                contaminant: old.contaminant.clone(),
                country: old.country.clone(),
                url: None,
                before: as_given(old.value_as_given.as_deref(), old.unit_as_given.as_deref()),
                after: None,
            });
        }
    }
    log.summary = site
        .locale(page.lang)
        .t("changes_since")
        .replace("{release}", &log.since)
        .replace("{added}", &log.added.len().to_string())
        .replace("{changed}", &log.changed.len().to_string())
        .replace("{removed}", &log.removed.len().to_string());
    Some(log)
}

fn coverage(site: &View, page: &Page, db: &Database) -> Vec<CoverageRow> {
    let mut rows: Vec<CoverageRow> = (0..db.countries.len())
        .map(CountryIx)
        .map(|ix| {
            let country = db.country(ix);
            let mut row = CoverageRow {
                name: db.country_name(ix, page.lang.0).to_string(),
                code: country.code.as_str().to_string(),
                url: site
                    .country_page(ix, page.lang)
                    .map(|p| relative_url(&page.url, p.url)),
                values: 0,
                contaminants: 0,
                instruments: country.instruments.len(),
                primary: 0,
                secondary: 0,
                not_in_force: 0,
                single: false,
            };
            let mut contaminants = std::collections::HashSet::new();
            for r in db.records_of_country(ix) {
                let record = &db.records[r.0];
                row.values += 1;
                contaminants.insert(record.contaminant);
                match db.source(record).tier {
                    Tier::Primary => row.primary += 1,
                    Tier::Secondary => row.secondary += 1,
                }
                if db.instrument(record.instrument).status != Status::InForce {
                    row.not_in_force += 1;
                }
            }
            row.contaminants = contaminants.len();
            row.single = row.values == 1;
            row
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

/// The Frictionless Data Package (`datapackage.json`) that describes the CSV download: its
/// columns with their types, the licence, the edition. Tools such as `frictionless validate`
/// read the CSV with it; the column list is the CSV's own header (a test holds them equal).
pub fn datapackage(
    config: &crate::config::Config,
    date: &str,
    columns: &[(&str, &str, &str)],
) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = columns
        .iter()
        .map(|(name, kind, description)| {
            serde_json::json!({ "name": name, "type": kind, "description": description })
        })
        .collect();
    let mut package = serde_json::json!({
        "profile": "tabular-data-package",
        "name": "soil-pollutant-threshold-values",
        "title": format!("{}: soil-pollutant threshold values", config.title),
        "created": date,
        "resources": [{
            "profile": "tabular-data-resource",
            "name": "thresholds",
            "path": "thresholds.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": { "fields": fields, "missingValues": [""] },
        }],
    });
    if let Some(version) = &config.version {
        package["version"] = version.as_str().into();
    }
    // Frictionless names licences as a list; a sentence that is not an SPDX id goes in `title`.
    if let Some(licence) = &config.licence {
        let spdx_like = !licence.contains(' ');
        package["licenses"] = match spdx_like {
            true => serde_json::json!([{ "name": licence }]),
            false => serde_json::json!([{ "title": licence }]),
        };
    }
    package
}

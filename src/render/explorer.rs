//! The explorer's records for its script: one compact file per language beside the explorer page
//! (`thresholds/records.js`, `ar/thresholds/records.js`), so that the page itself stays small
//! (its HTML holds no row) and the script renders a page of rows at a time.
//!
//! The file is a script that sets `window.PEDON_EXPLORER` rather than JSON to fetch: a `<script
//! src>` loads from `file://` too, where `fetch` is refused. Its strings are in the page's
//! language; numbers already in its notation. Names, terms and ids repeated across records are
//! written once in dictionaries and referred to by position.

use super::markdown::relative_url;
use super::shown::View;
use super::thresholds::{
    MEASURANDS, condition_phrases, explorer_records, instrument_anchor, instrument_label,
    localized_value, measurand_key, record_anchor, tier_key,
};
use crate::data::{ContaminantIx, CountryIx, Database, LandUseIx, ValueTypeIx};
use crate::model::Lang;
use crate::output::Output;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Land-use classes that a value of another class applies to. A value for all land counts
/// under every class; one for residential land and parkland under each of the two; one for
/// commercial and industrial land under each. The explorer's land-use facet uses this, so that
/// "agricultural" shows the values for all land beside those for farmland.
const APPLIES_TO: &[(&str, &[&str])] = &[
    (
        "residential_parkland",
        &["residential", "residential_sensitive", "parkland"],
    ),
    ("commercial_industrial", &["commercial", "industrial"]),
];

/// The land-use classes a value of class `id` counts under: itself and those it covers.
fn applies_to(db: &Database, ix: usize) -> Vec<usize> {
    let id = db.land_uses[ix].id.as_str();
    let mut out = vec![ix];
    for (j, other) in db.land_uses.iter().enumerate() {
        let covered = id == "all_land"
            || APPLIES_TO
                .iter()
                .any(|(from, to)| *from == id && to.contains(&other.id.as_str()));
        if covered && j != ix && other.id != "mixed" {
            out.push(j);
        }
    }
    out
}

/// Adds each language's records file beside its explorer page.
pub fn add(view: &View, output: &mut Output) {
    for l in 0..view.languages() {
        let lang = Lang(l);
        let Some(explorer) = view.explorer(lang) else {
            continue;
        };
        let path = explorer_records(explorer.url);
        let data = records(view, lang, explorer.url);
        let mut bytes = b"window.PEDON_EXPLORER=".to_vec();
        serde_json::to_writer(&mut bytes, &data).expect("JSON of plain data");
        bytes.extend_from_slice(b";\n");
        output.add(path, bytes);
    }
}

/// The interface strings the script needs, in the page's language.
const STRINGS: &[&str] = &[
    "contaminant",
    "jurisdiction",
    "value_unit",
    "conditions",
    "land_use",
    "value_type",
    "source",
    "facet_group",
    "facet_measurand",
    "facet_depends",
    "facet_status",
    "facet_tier",
    "filter_count",
    "clear",
    "selected",
    "sort_by",
    "sort_data",
    "sort_value_up",
    "sort_value_down",
    "sort_contaminant",
    "sort_jurisdiction",
    "rows_shown",
    "previous_rows",
    "next_rows",
    "download_shown",
    "no_match",
    "threshold_values",
    "filter_table",
    "applies_note",
];

fn records(view: &View, lang: Lang, from: &str) -> Value {
    let db = view.data();
    let locale = view.locale(lang);
    let l = lang.0;
    let url_of = |page: Option<&super::shown::Shown>| {
        page.map(|p| relative_url(from, p.url)).unwrap_or_default()
    };
    let strings: serde_json::Map<String, Value> = STRINGS
        .iter()
        .map(|k| (k.to_string(), Value::from(locale.t(k))))
        .collect();

    let groups: Vec<&str> = {
        let mut g: Vec<&str> = db.contaminants.iter().map(|c| c.group.id()).collect();
        g.sort_unstable();
        g.dedup();
        g
    };
    let contaminants: Vec<Value> = (0..db.contaminants.len())
        .map(|i| {
            let c = &db.contaminants[i];
            json!([
                c.id,
                db.contaminant_name(ContaminantIx(i), l),
                url_of(view.contaminant_page(ContaminantIx(i), lang)),
                groups.iter().position(|g| *g == c.group.id()),
            ])
        })
        .collect();
    let countries: Vec<Value> = (0..db.countries.len())
        .map(|i| {
            json!([
                db.countries[i].code.as_str(),
                db.country_name(CountryIx(i), l),
                url_of(view.country_page(CountryIx(i), lang)),
                db.countries[i].code.slug(),
            ])
        })
        .collect();
    let land_uses: Vec<Value> = (0..db.land_uses.len())
        .map(|i| {
            json!([
                db.land_uses[i].id,
                db.land_use_name(LandUseIx(i), l),
                applies_to(db, i),
            ])
        })
        .collect();
    let value_types: Vec<Value> = (0..db.value_types.len())
        .map(|i| json!([db.value_types[i].id, db.value_type_name(ValueTypeIx(i), l)]))
        .collect();
    let keyed = |keys: &[&str], prefix: &str| -> Vec<Value> {
        keys.iter()
            .map(|k| json!([k, locale.t(&format!("{prefix}{k}"))]))
            .collect()
    };

    // Instrument × source: what a row's source cell shows.
    let mut sources: Vec<Value> = Vec::new();
    let mut source_ix: HashMap<(usize, usize), usize> = HashMap::new();
    let mut rows = Vec::with_capacity(db.records.len());
    // The instruments' own terms ("agricultural use (uso agrícola)") repeat across rows: each is
    // written once, and rows hold its place in the list.
    let mut terms: Vec<String> = Vec::new();
    let mut term_ix: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut term = |t: &str| -> usize {
        *term_ix.entry(t.to_string()).or_insert_with(|| {
            terms.push(t.to_string());
            terms.len() - 1
        })
    };
    for (i, r) in db.records.iter().enumerate() {
        let ix = crate::data::RecordIx(i);
        let s = *source_ix
            .entry((r.instrument.0, r.source))
            .or_insert_with(|| {
                let inst = db.instrument(r.instrument);
                let status = [
                    crate::data::Status::InForce,
                    crate::data::Status::Dated,
                    crate::data::Status::Superseded,
                ]
                .iter()
                .position(|s| *s == inst.status)
                .unwrap_or(0);
                let tier = usize::from(tier_key(db.source(r).tier) != "primary");
                let url = url_of(view.country_page(r.country, lang));
                sources.push(json!([
                    instrument_label(inst),
                    format!("{url}#{}", instrument_anchor(inst)),
                    status,
                    tier
                ]));
                sources.len() - 1
            });
        let (v, shown) = localized_value(&r.amount, locale);
        let phrases = condition_phrases(&r.condition, locale);
        // [text, 1] for a band written left to right; [text] otherwise.
        let conditions: Vec<Value> = phrases
            .iter()
            .map(|p| match p.ltr {
                true => json!([p.text, 1]),
                false => json!([p.text]),
            })
            .collect();
        let depends = u8::from(r.condition.ph.is_some())
            | (u8::from(r.condition.texture.is_some() || r.condition.organic_carbon.is_some())
                << 1);
        let measurand = MEASURANDS
            .iter()
            .position(|m| *m == measurand_key(&r.condition))
            .unwrap_or(0);
        // A record's id is `<country>-<contaminant>-<hash>`: the file carries only the hash,
        // which the script joins to the country and contaminant it already has (a tenth of the
        // file, gzipped, at 1,729 records). An id of another shape is written whole.
        let id = record_anchor(db, ix);
        let prefix = format!(
            "{}-{}-",
            db.country(r.country).code.slug(),
            db.contaminant(r.contaminant).id
        );
        let id = id.strip_prefix(&prefix).map_or(id.clone(), str::to_string);
        rows.push(json!([
            id,
            r.contaminant.0,
            r.country.0,
            r.land_use.class.0,
            term(&r.land_use.national),
            r.value_type.class.0,
            term(&r.value_type.national),
            v.parse::<f64>().ok(),
            shown,
            conditions,
            measurand,
            depends,
            s,
        ]));
    }
    json!({
        "lang": locale.code,
        // The thousands separator of the page's language, for the counts the script writes.
        "group": locale.format.group,
        "s": strings,
        "c": contaminants,
        "g": groups.iter().map(|g| json!([g, locale.t(&format!("group_{g}"))])).collect::<Vec<_>>(),
        "k": countries,
        "lu": land_uses,
        "t": value_types,
        "m": keyed(&MEASURANDS, "measurand_"),
        "d": keyed(&["ph", "soil", "none"], "depends_"),
        "st": keyed(&["in_force", "dated", "superseded"], "status_"),
        "tier": keyed(&["primary", "secondary"], "tier_label_"),
        "src": sources,
        "n": terms,
        "r": rows,
    })
}

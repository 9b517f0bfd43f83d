//! Comparison and coverage on a contaminant's page: a jurisdiction × land-use matrix of its
//! values and a map of the jurisdictions that have them; and the overall map of the dataset page.
//!
//! The matrix answers "which countries have an agricultural-soil limit, and how do they compare"
//! at a glance. Every value in it says what was measured (its extraction): an ammonium-nitrate
//! extract and an aqua-regia content of the same metal differ by orders of magnitude, so the
//! matrix never lets two such numbers sit side by side unlabelled.

use super::html::{Html, Trusted};
use super::map::{self, EU, EU_MEMBERS, Mark, Shade};
use super::markdown::relative_url;
use super::shown::View;
use super::thresholds::record_anchor;
use crate::data::{
    Amount, ContaminantIx, CountryIx, Database, Extraction, Record, RecordIx, Status, Texture,
    Unit, format_number,
};
use crate::i18n::Locale;
use crate::model::Page;
use std::collections::BTreeMap;

/// The interface string naming what a value measures.
fn measurand_key(r: &Record) -> &'static str {
    if r.condition.medium.is_some() {
        return "matrix_measurand_not_soil";
    }
    match r.condition.extraction {
        None => "matrix_measurand_unstated",
        Some(Extraction::Total) => "matrix_measurand_total",
        Some(Extraction::AquaRegia) => "matrix_measurand_aqua_regia",
        Some(Extraction::AmmoniumNitrate) => "matrix_measurand_ammonium_nitrate",
        Some(Extraction::Alkaline) => "matrix_measurand_alkaline",
        Some(Extraction::Dtpa) => "matrix_measurand_dtpa",
        Some(Extraction::Edta) => "matrix_measurand_edta",
    }
}

/// The conditions other than the extraction (shown apart), in the page's language.
fn conditions(r: &Record, locale: &Locale) -> Vec<String> {
    let c = &r.condition;
    let mut out = Vec::new();
    if let Some(b) = &c.ph {
        out.push(locale.numbers_in(&b.to_string()));
    }
    if let Some(t) = c.texture {
        let key = match t {
            Texture::Sand => "matrix_texture_sand",
            Texture::LoamSilt => "matrix_texture_loam_silt",
            Texture::Clay => "matrix_texture_clay",
        };
        out.push(locale.t(key).to_string());
    }
    if let Some(b) = &c.organic_carbon {
        out.push(locale.numbers_in(&b.to_string()));
    }
    if let Some(m) = &c.medium {
        out.push(locale.t("matrix_medium").replace("{medium}", m));
    }
    if let Some(s) = &c.scope {
        out.push(s.clone());
    }
    out
}

/// Whether a record comes from a regional instrument (a subdivision of its country).
///
/// The data model on this branch has no subdivisions yet (they arrive with the import of
/// Flanders, Québec and Minas Gerais); until then no record is regional, and the map's
/// "regional" shade is exercised by the map's own tests.
fn is_regional(db: &Database, r: &Record) -> bool {
    db.instrument(r.instrument).subdivision.is_some()
}

/// The jurisdiction's outline code: its ISO 3166-1 code (subdivisions are drawn on their country).
fn outline_code(db: &Database, ix: CountryIx) -> &str {
    db.country(ix).code.as_str()
}

/// How each jurisdiction is coloured, given the records shown; `all` lists every jurisdiction
/// of the database, so those without values can be told apart from countries not in it.
fn shades(db: &Database, records: &[RecordIx], all: bool) -> BTreeMap<CountryIx, Shade> {
    let mut out: BTreeMap<CountryIx, Shade> = BTreeMap::new();
    for &ix in records {
        let r = &db.records[ix.0];
        let shade = if is_regional(db, r) {
            Shade::Regional
        } else {
            Shade::National
        };
        // National beats regional: one national value covers the whole country.
        out.entry(r.country)
            .and_modify(|s| *s = (*s).min(shade))
            .or_insert(shade);
    }
    if all {
        for i in 0..db.countries.len() {
            out.entry(CountryIx(i)).or_insert(Shade::Without);
        }
    }
    out
}

/// The map's marks: jurisdictions with outlines, then EU member states lit by EU-wide values.
fn marks(
    db: &Database,
    shades: &BTreeMap<CountryIx, Shade>,
    counts: &BTreeMap<CountryIx, usize>,
    locale: &Locale,
    lang: usize,
) -> Vec<Mark> {
    let mut marks = Vec::new();
    let mut eu_has = false;
    for (&ix, &shade) in shades {
        let code = outline_code(db, ix);
        let n = counts.get(&ix).copied().unwrap_or(0);
        if code == EU && shade != Shade::Without {
            eu_has = true;
        }
        if !map::has_outline(code) {
            continue;
        }
        let name = db.country_name(ix, lang);
        let label = match shade {
            Shade::Without => format!("{name}: {}", locale.t("map_no_values")),
            _ if n == 1 => format!("{name}: {}", locale.t("map_one_value")),
            _ => format!(
                "{name}: {}",
                locale.t("map_n_values").replace("{n}", &n.to_string())
            ),
        };
        marks.push(Mark {
            code: code.to_string(),
            shade,
            label,
        });
    }
    if eu_has {
        let eu_name = db
            .find_country(EU)
            .map(|ix| db.country_name(ix, lang).to_string())
            .unwrap_or_else(|| EU.to_string());
        for code in EU_MEMBERS {
            if !map::has_outline(code) {
                continue;
            }
            match marks.iter_mut().find(|m| m.code == *code) {
                Some(m) if m.shade != Shade::Without => {}
                Some(m) => {
                    m.shade = Shade::EuWide;
                    m.label = format!(
                        "{}; {}",
                        m.label,
                        locale.t("map_eu_values").replace("{eu}", &eu_name)
                    );
                }
                None => marks.push(Mark {
                    code: code.to_string(),
                    shade: Shade::EuWide,
                    label: locale.t("map_eu_values").replace("{eu}", &eu_name),
                }),
            }
        }
    }
    marks
}

fn legend(marks: &[Mark], locale: &Locale) -> Vec<(Shade, String)> {
    let mut used: Vec<Shade> = marks.iter().map(|m| m.shade).collect();
    used.sort();
    used.dedup();
    // "Has values" always shows, so the legend says what the colour means even on an empty map.
    if !used.contains(&Shade::National) {
        used.insert(0, Shade::National);
    }
    used.into_iter()
        .map(|s| {
            let key = match s {
                Shade::National => "map_legend_values",
                Shade::Regional => "map_legend_regional",
                Shade::EuWide => "map_legend_eu",
                Shade::Without => "map_legend_without",
            };
            (s, locale.t(key).to_string())
        })
        .collect()
}

/// The overall coverage map of the dataset page: every jurisdiction with values.
pub fn dataset_map(site: &View, page: &Page) -> Trusted {
    let db = site.data();
    let locale = site.locale(page.lang);
    let all: Vec<RecordIx> = (0..db.records.len()).map(RecordIx).collect();
    let shades = shades(db, &all, false);
    let counts = counts(db, &all);
    let marks = marks(db, &shades, &counts, locale, page.lang.0);
    map::figure(
        &marks,
        &map::Labels {
            title: locale.t("map_title_all"),
            legend: legend(&marks, locale),
            other: locale.t("map_legend_other"),
            caption: locale.t("map_caption_dataset"),
            id: "coverage-map",
            inset: locale.t("map_inset_europe"),
        },
    )
}

fn counts(db: &Database, records: &[RecordIx]) -> BTreeMap<CountryIx, usize> {
    let mut counts = BTreeMap::new();
    for &ix in records {
        *counts.entry(db.records[ix.0].country).or_insert(0) += 1;
    }
    counts
}

/// The comparison section of a contaminant's page: map, then matrix.
pub fn contaminant_comparison(site: &View, page: &Page, ix: ContaminantIx) -> Trusted {
    let db = site.data();
    let locale = site.locale(page.lang);
    let lang = page.lang.0;
    let name = db.contaminant_name(ix, lang);
    let records: Vec<RecordIx> = db.records_of_contaminant(ix).collect();
    let counts = counts(db, &records);
    let shades = shades(db, &records, true);
    let marks = marks(db, &shades, &counts, locale, lang);
    let title = locale.t("map_title_contaminant").replace("{name}", name);

    let mut html = Html::with_capacity(40_000);
    html.open("section")
        .attr("class", "comparison")
        .attr("aria-labelledby", "comparison")
        .end();
    html.open("h2")
        .attr("id", "comparison")
        .end()
        .text(locale.t("matrix_heading"))
        .close("h2");
    html.raw(&map::figure(
        &marks,
        &map::Labels {
            title: &title,
            legend: legend(&marks, locale),
            other: locale.t("map_legend_other"),
            caption: locale.t("map_caption_contaminant"),
            id: "coverage-map",
            inset: locale.t("map_inset_europe"),
        },
    ));
    matrix(&mut html, site, page, &records, name);
    html.close("section");
    html.finish()
}

/// The matrix: one row per jurisdiction with values, one column per land-use class that has
/// any; the classes without values are named under it.
fn matrix(html: &mut Html, site: &View, page: &Page, records: &[RecordIx], name: &str) {
    let db = site.data();
    let locale = site.locale(page.lang);
    let lang = page.lang.0;
    // Cells: jurisdiction → class → records, in database order.
    let mut rows: BTreeMap<CountryIx, BTreeMap<usize, Vec<RecordIx>>> = BTreeMap::new();
    let mut used = vec![false; db.land_uses.len()];
    for &ix in records {
        let r = &db.records[ix.0];
        used[r.land_use.class.0] = true;
        (rows.entry(r.country).or_default())
            .entry(r.land_use.class.0)
            .or_default()
            .push(ix);
    }
    let columns: Vec<usize> = (0..db.land_uses.len()).filter(|&i| used[i]).collect();
    let mut order: Vec<CountryIx> = rows.keys().copied().collect();
    order.sort_by(|a, b| db.country_name(*a, lang).cmp(db.country_name(*b, lang)));

    html.open("p")
        .attr("class", "matrix-note")
        .end()
        .text(locale.t("matrix_intro"))
        .close("p");
    if records.is_empty() {
        return;
    }
    let caption = locale.t("matrix_caption").replace("{name}", name);
    html.open("div")
        .attr("class", "table-wrap matrix-wrap")
        .attr("role", "region")
        .attr("tabindex", "0")
        .attr("aria-labelledby", "matrix-caption")
        .end();
    html.open("table").attr("class", "matrix").end();
    html.open("caption")
        .attr("id", "matrix-caption")
        .end()
        .text(&caption)
        .close("caption");
    html.markup("<thead><tr>");
    html.open("th")
        .attr("scope", "col")
        .end()
        .text(locale.t("jurisdiction"))
        .close("th");
    for &c in &columns {
        html.open("th")
            .attr("scope", "col")
            .attr("data-l", &db.land_uses[c].id)
            .end()
            .text(db.land_use_name(crate::data::LandUseIx(c), lang))
            .close("th");
    }
    html.markup("</tr></thead><tbody>");
    for country in order {
        let cells = &rows[&country];
        html.open("tr")
            .attr("data-k", db.country(country).code.as_str())
            .end();
        let url = site
            .country_page(country, page.lang)
            .map(|p| relative_url(&page.url, p.url));
        html.open("th").attr("scope", "row").end();
        match url {
            Some(url) => {
                html.open("a")
                    .attr("href", &url)
                    .end()
                    .text(db.country_name(country, lang))
                    .close("a");
            }
            None => {
                html.text(db.country_name(country, lang));
            }
        }
        html.close("th");
        for &c in &columns {
            match cells.get(&c) {
                None => {
                    html.open("td")
                        .attr("class", "empty")
                        .end()
                        .open("span")
                        .attr("class", "visually-hidden")
                        .end()
                        .text(locale.t("matrix_no_value"))
                        .close("span")
                        .close("td");
                }
                Some(values) => {
                    html.markup("<td><ul>");
                    // Several national land uses in one class (paddy and dry land): name each.
                    let first = &db.records[values[0].0].land_use.national;
                    let terms = values
                        .iter()
                        .any(|&ix| db.records[ix.0].land_use.national != *first);
                    for &ix in values {
                        value(html, db, locale, ix, lang, terms);
                    }
                    html.markup("</ul></td>");
                }
            }
        }
        html.markup("</tr>");
    }
    html.markup("</tbody></table></div>");
    let unused: Vec<&str> = (0..db.land_uses.len())
        .filter(|&i| !used[i])
        .map(|i| db.land_use_name(crate::data::LandUseIx(i), lang))
        .collect();
    if !unused.is_empty() {
        html.open("p")
            .attr("class", "matrix-note")
            .end()
            .text(
                &locale
                    .t("matrix_unused")
                    .replace("{classes}", &unused.join(", ")),
            )
            .close("p");
    }
}

/// One value: number and unit (left to right in every language), its value type, what was
/// measured, its conditions, and a flag when its instrument is no longer in force; it links to
/// its row in the table below, where its source and notes are.
fn value(html: &mut Html, db: &Database, locale: &Locale, ix: RecordIx, lang: usize, term: bool) {
    let r = &db.records[ix.0];
    html.open("li").attr("data-r", &record_anchor(db, ix)).end();
    let number = match &r.amount {
        Amount::Value(q) => {
            let canonical = q.mg_per_kg();
            // The number as the source wrote it (0.10) when it is already in mg/kg.
            let number = match q.written.parse::<f64>() {
                Ok(w) if q.unit == Unit::MgPerKg && w == canonical && w < 1000.0 => {
                    q.written.clone()
                }
                _ => format_number(canonical),
            };
            locale.numbers_in(&format!("{number} mg/kg"))
        }
        Amount::NoValue => locale.t("matrix_no_value").to_string(),
    };
    html.open("a")
        .attr_fmt("href", format_args!("#{}", record_anchor(db, ix)))
        .attr("class", "v")
        .end()
        .open("bdi")
        .attr("dir", "ltr")
        .end()
        .text(&number)
        .close("bdi")
        .close("a");
    html.markup(" ")
        .open("span")
        .attr("class", "vt")
        .end()
        .text(db.value_type_name(r.value_type.class, lang))
        .close("span");
    if term {
        html.markup(" ")
            .open("bdi")
            .attr("class", "cond term")
            .end()
            .text(&r.land_use.national)
            .close("bdi");
    }
    html.markup(" ")
        .open("span")
        .attr("class", "ms")
        .end()
        .text(locale.t(measurand_key(r)))
        .close("span");
    for c in conditions(r, locale) {
        html.markup(" ")
            .open("bdi")
            .attr("class", "cond")
            .end()
            .text(&c)
            .close("bdi");
    }
    let status = db.instrument(r.instrument).status;
    if status != Status::InForce {
        let key = match status {
            Status::Dated => "matrix_status_dated",
            _ => "matrix_status_superseded",
        };
        html.markup(" ")
            .open("span")
            .attr("class", "flag")
            .end()
            .text(locale.t(key))
            .close("span");
    }
    html.close("li");
}

//! The threshold database as HTML: tables (shared by the explorer, contaminant and country pages
//! and ```` ```thresholds ```` blocks, so a value looks the same everywhere) and the page views.
//! Every string from the data is written through [`Html`], which escapes it.

use super::chart;
use super::html::{Html, Trusted};
use super::markdown::relative_url;
use super::shown::{Shown, View};
use super::templates::LinkView;
use crate::data::{
    Amount, ContaminantIx, CountryIx, Database, Filter, Instrument, Record, RecordIx, Status, Unit,
    format_number,
};
use crate::model::{DataPage, Page};
use serde::Serialize;
use std::fmt::Write;

/// Output paths of the downloads, beside the explorer.
pub const CSV_PATH: &str = "thresholds/thresholds.csv";
pub const JSON_PATH: &str = "thresholds/thresholds.json";
pub const SCHEMA_PATH: &str = "thresholds/thresholds.schema.json";
/// The Frictionless Data Package that describes the CSV.
pub const DATAPACKAGE_PATH: &str = "thresholds/datapackage.json";

/// Which columns a table shows: a contaminant's page need not repeat the contaminant.
#[derive(Clone, Copy)]
pub struct Columns {
    pub contaminant: bool,
    pub country: bool,
    /// Notes under the conditions (long; left out of the explorer to keep it light).
    pub notes: bool,
    /// Row ids, so other pages can link to a row.
    pub anchors: bool,
}

/// An instrument's name in a table cell: its short name, or its title.
pub fn instrument_label(i: &Instrument) -> String {
    let name = i.short.as_deref().unwrap_or(&i.title);
    match &i.year {
        // A plain year only: some sources date an instrument with a sentence.
        Some(y)
            if y.len() == 4
                && y.bytes().all(|b| b.is_ascii_digit())
                && !name.contains(y.as_str()) =>
        {
            format!("{name} ({y})")
        }
        _ => name.to_string(),
    }
}

/// The anchor of an instrument on its country page.
pub fn instrument_anchor(i: &Instrument) -> String {
    format!("instrument-{}", i.id)
}

/// Row anchor of a record on its contaminant page: country and position among its values there.
pub fn record_anchor(db: &Database, ix: RecordIx) -> String {
    let r = &db.records[ix.0];
    format!("{}-{}", db.country(r.country).code.slug(), r.ordinal)
}

/// The value cell's text: canonical value and unit, with the value as the source wrote it when
/// its unit differs.
pub fn value_text(amount: &Amount) -> (String, String) {
    match amount {
        Amount::NoValue => (String::new(), "no value".to_string()),
        Amount::Value(q) => {
            let canonical = q.mg_per_kg();
            let mut shown = format!("{} mg/kg", format_number(canonical));
            if q.unit != Unit::MgPerKg {
                let _ = write!(shown, " ({} {} as given)", q.written, q.unit);
            } else if q.written.parse::<f64>().ok() == Some(canonical) && q.written.contains('.') {
                // Keep trailing zeros the source wrote (0.10).
                shown = format!("{} mg/kg", group_written(&q.written));
            }
            (canonical.to_string(), shown)
        }
    }
}

fn group_written(written: &str) -> String {
    let (int, frac) = written.split_once('.').unwrap_or((written, ""));
    let grouped = int
        .parse::<f64>()
        .map(format_number)
        .unwrap_or_else(|_| int.to_string());
    if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    }
}

/// A table of records, with links relative to `from`.
pub fn table(
    view: &View,
    from: &Page,
    records: &[RecordIx],
    columns: Columns,
    caption: &str,
) -> Trusted {
    let mut html = Html::with_capacity(records.len() * 420 + 600);
    // A wide table scrolls inside its wrapper: keyboard users reach it with Tab.
    html.open("div")
        .attr("class", "table-wrap")
        .attr("role", "region")
        .attr("tabindex", "0")
        .attr("aria-label", caption)
        .end();
    html.open("table").attr("class", "thresholds").end();
    html.element("caption", caption).markup("<thead><tr>");
    let mut headers: Vec<&str> = Vec::new();
    if columns.contaminant {
        headers.push("contaminant");
    }
    if columns.country {
        headers.push("country");
    }
    headers.extend([
        "land_use",
        "value_type",
        "conditions",
        "value_unit",
        "source",
    ]);
    let locale = view.locale(from.lang);
    for (i, key) in headers.iter().enumerate() {
        html.open("th")
            .attr("scope", "col")
            .attr_if(*key == "value_unit", "class", "num")
            .attr_fmt("data-col", format_args!("{i}"))
            .end()
            .text(locale.t(key))
            .close("th");
    }
    html.markup("</tr></thead><tbody>");
    for &ix in records {
        row(&mut html, view, from, ix, columns);
    }
    html.markup("</tbody></table></div>");
    html.finish()
}

/// The URL of a database page from `from`, empty where there is none.
fn page_url(from: &Page, page: Option<&Shown>) -> String {
    page.map(|p| relative_url(&from.url, p.url))
        .unwrap_or_default()
}

fn row(html: &mut Html, view: &View, from: &Page, ix: RecordIx, columns: Columns) {
    let db = view.data();
    let r: &Record = &db.records[ix.0];
    let contaminant = db.contaminant(r.contaminant);
    let country = db.country(r.country);
    let instrument = db.instrument(r.instrument);
    let source = db.source(r);
    let land_use = db.land_use(r.land_use.class);
    let value_type = db.value_type(r.value_type.class);
    let lang = from.lang.0;
    let locale = view.locale(from.lang);
    let tr = html
        .open("tr")
        .attr("data-c", &contaminant.id)
        .attr("data-k", country.code.as_str())
        .attr("data-l", &land_use.id)
        .attr("data-t", &value_type.id);
    match columns.anchors {
        true => tr.attr("id", &record_anchor(db, ix)).end(),
        false => tr.end(),
    };
    if columns.contaminant {
        let url = page_url(from, view.contaminant_page(r.contaminant, from.lang));
        html.markup("<td>")
            .open("a")
            .attr_fmt("href", format_args!("{url}#{}", record_anchor(db, ix)))
            .end()
            .text(db.contaminant_name(r.contaminant, lang))
            .markup("</a></td>");
    }
    if columns.country {
        let url = page_url(from, view.country_page(r.country, from.lang));
        html.markup("<td>")
            .open("a")
            .attr("href", &url)
            .end()
            .text(db.country_name(r.country, lang))
            .markup("</a></td>");
    }
    for (name, national) in [
        (
            db.land_use_name(r.land_use.class, lang),
            &r.land_use.national,
        ),
        (
            db.value_type_name(r.value_type.class, lang),
            &r.value_type.national,
        ),
    ] {
        html.markup("<td>")
            .text(name)
            .open("span")
            .attr("class", "term")
            .end()
            .text(national)
            .markup("</span></td>");
    }
    html.markup("<td>");
    let phrases = r.condition.phrases();
    html.text(&locale.numbers_in(&phrases.join("; ")));
    if columns.notes {
        if let Some(basis) = &r.basis {
            html.open("span")
                .attr("class", "note")
                .end()
                .text_fmt(format_args!("{}: {basis}", locale.t("basis")))
                .close("span");
        }
        if let Some(note) = &r.note {
            html.open("span")
                .attr("class", "note")
                .end()
                .text(note)
                .close("span");
        }
    }
    html.markup("</td>");
    let (sort, shown) = value_text(&r.amount);
    let class = if matches!(r.amount, Amount::NoValue) {
        "num none"
    } else {
        "num"
    };
    // Numbers and units read left to right in a right-to-left page too.
    html.open("td")
        .attr("class", class)
        .attr("data-v", &sort)
        .end();
    html.open("bdi")
        .attr("dir", "ltr")
        .end()
        .text(&locale.numbers_in(&shown))
        .markup("</bdi></td>");
    let url = page_url(from, view.country_page(r.country, from.lang));
    let tier = source.tier.label();
    html.markup("<td>")
        .open("a")
        .attr_fmt(
            "href",
            format_args!("{url}#{}", instrument_anchor(instrument)),
        )
        .end()
        .text(&instrument_label(instrument))
        .close("a");
    // Dated and superseded instruments are flagged on every row, not only on the country page.
    if instrument.status != Status::InForce {
        html.markup(" ")
            .open("span")
            .attr("class", "flag")
            .end()
            .text(instrument.status.label())
            .close("span");
    }
    let tier_title = locale.t(if tier == "primary" {
        "tier_primary"
    } else {
        "tier_secondary"
    });
    html.markup(" ")
        .open("span")
        .attr_fmt("class", format_args!("tier tier-{tier}"))
        .attr("title", tier_title)
        .end()
        .text(tier)
        .markup("</span></td></tr>");
}

#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Serialize)]
pub struct InstrumentView {
    pub anchor: String,
    pub title: String,
    pub year: Option<String>,
    pub issuer: Option<String>,
    pub status: &'static str,
    pub status_note: Option<String>,
    pub basis: Option<String>,
    pub sources: Vec<SourceView>,
    pub values: usize,
}

#[derive(Serialize)]
pub struct SourceView {
    pub title: String,
    pub location: String,
    /// When the location is a web address, for a link.
    pub url: Option<String>,
    pub tier: &'static str,
}

/// What a data page's template sees.
#[derive(Serialize, Default)]
pub struct DataView {
    pub kind: &'static str,
    /// The contaminant's id or the country's code, for links into the explorer.
    pub id: Option<String>,
    pub table: Trusted,
    /// An inline SVG chart.
    pub chart: Option<Trusted>,
    /// A contaminant's coverage map and jurisdiction × land-use matrix (`matrix.rs`).
    pub comparison: Option<Trusted>,
    pub records: usize,
    /// "1,234 values · 99 contaminants · 14 jurisdictions." in the page's language.
    pub summary: String,
    pub name: Option<String>,
    pub symbol: Option<String>,
    pub cas: Option<String>,
    pub group: Option<String>,
    pub aliases: Vec<String>,
    /// SOPs measuring the contaminant.
    pub sops: Vec<LinkView>,
    /// Country notes, rendered from Markdown with raw HTML escaped.
    pub notes: Option<Trusted>,
    pub instruments: Vec<InstrumentView>,
    pub contaminants: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub land_uses: Vec<Choice>,
    pub value_types: Vec<Choice>,
    pub csv: Option<String>,
    pub json: Option<String>,
    pub schema: Option<String>,
    pub explorer: Option<String>,
    /// The page that says how to cite and reuse the data.
    pub dataset_page: Option<String>,
    /// On that page: citation, licence, coverage.
    pub dataset: Option<super::dataset::DatasetView>,
}

pub fn data_view(site: &View, page: &Page) -> Option<DataView> {
    let db = site.data();
    let which = page.data?;
    let locale = site.locale(page.lang);
    let lang = page.lang.0;
    let mut view = DataView {
        explorer: (site.explorer(page.lang)).map(|p| relative_url(&page.url, p.url)),
        dataset_page: (site.dataset(page.lang)).map(|p| relative_url(&page.url, p.url)),
        ..DataView::default()
    };
    match which {
        DataPage::Explorer => {
            let all: Vec<RecordIx> = (0..db.records.len()).map(RecordIx).collect();
            view.kind = "explorer";
            view.records = all.len();
            let columns = Columns {
                contaminant: true,
                country: true,
                notes: false,
                anchors: false,
            };
            view.summary = locale
                .t("data_summary")
                .replace(
                    "{records}",
                    &locale.numbers_in(&format_number(all.len() as f64)),
                )
                .replace("{contaminants}", &db.contaminants.len().to_string())
                .replace("{countries}", &db.countries.len().to_string());
            view.table = table(site, page, &all, columns, locale.t("threshold_values"));
            let choices = |items: Vec<(String, String)>| {
                items
                    .into_iter()
                    .map(|(value, label)| Choice { value, label })
                    .collect()
            };
            view.contaminants = choices(
                db.contaminants
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let name = db.contaminant_name(ContaminantIx(i), lang);
                        (c.id.clone(), name.to_string())
                    })
                    .collect(),
            );
            let mut countries: Vec<(String, String)> = db
                .countries
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let name = db.country_name(CountryIx(i), lang);
                    (c.code.as_str().to_string(), name.to_string())
                })
                .collect();
            countries.sort_by(|a, b| a.1.cmp(&b.1));
            view.countries = choices(countries);
            view.land_uses = choices(
                db.land_uses
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let name = db.land_use_name(crate::data::LandUseIx(i), lang);
                        (c.id.clone(), name.to_string())
                    })
                    .collect(),
            );
            view.value_types = choices(
                db.value_types
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let name = db.value_type_name(crate::data::ValueTypeIx(i), lang);
                        (c.id.clone(), name.to_string())
                    })
                    .collect(),
            );
            view.csv = Some(relative_url(&page.url, CSV_PATH));
            view.json = Some(relative_url(&page.url, JSON_PATH));
            view.schema = Some(relative_url(&page.url, SCHEMA_PATH));
        }
        DataPage::Contaminant(c) => contaminant_view(site, page, c, &mut view),
        DataPage::Country(c) => country_view(site, page, c, &mut view),
        DataPage::Contaminants | DataPage::Countries => view.kind = "list",
        DataPage::Dataset => {
            view.kind = "dataset";
            view.dataset = Some(super::dataset::view(site, page));
        }
    }
    Some(view)
}

fn contaminant_view(site: &View, page: &Page, ix: ContaminantIx, view: &mut DataView) {
    let db = site.data();
    let c = db.contaminant(ix);
    let records: Vec<RecordIx> = db.records_of_contaminant(ix).collect();
    let locale = site.locale(page.lang);
    let name = db.contaminant_name(ix, page.lang.0);
    view.kind = "contaminant";
    view.id = Some(c.id.clone());
    view.records = records.len();
    view.name = Some(name.to_string());
    view.symbol = c.symbol.clone();
    view.cas = c.cas.clone();
    view.group = Some(locale.t(&format!("group_{}", c.group.id())).to_string());
    view.aliases = c.aliases.clone();
    view.sops = (site.pages().iter())
        .filter(|p| p.lang == page.lang)
        .filter_map(|p| Some((p, p.sop.as_ref()?)))
        .filter(|(_, sop)| sop.analytes.contains(&ix))
        .map(|(p, sop)| LinkView {
            title: format!("{} {}", sop.code, p.title),
            url: relative_url(&page.url, p.url),
            lang: None,
        })
        .collect();
    let columns = Columns {
        contaminant: false,
        country: true,
        notes: true,
        anchors: true,
    };
    view.table = table(
        site,
        page,
        &records,
        columns,
        &format!("{name}: {}", locale.t("threshold_values")),
    );
    view.chart = chart::contaminant_chart(db, &records, name, page.lang.0);
    view.comparison = Some(super::matrix::contaminant_comparison(site, page, ix));
}

fn country_view(site: &View, page: &Page, ix: CountryIx, view: &mut DataView) {
    let db = site.data();
    let country = db.country(ix);
    let records: Vec<RecordIx> = db.records_of_country(ix).collect();
    let locale = site.locale(page.lang);
    let name = db.country_name(ix, page.lang.0);
    view.kind = "country";
    view.id = Some(country.code.as_str().to_string());
    view.records = records.len();
    view.name = Some(name.to_string());
    view.notes = country
        .notes
        .as_deref()
        .map(super::markdown::render_untrusted);
    view.instruments = country
        .instruments
        .iter()
        .map(|&i| {
            let inst = db.instrument(i);
            InstrumentView {
                anchor: instrument_anchor(inst),
                title: inst.title.clone(),
                year: inst.year.clone(),
                issuer: inst.issuer.clone(),
                status: inst.status.label(),
                status_note: inst.status_note.clone(),
                basis: inst.basis.clone(),
                sources: inst
                    .sources
                    .iter()
                    .map(|s| SourceView {
                        title: s.title.clone(),
                        location: s.location.clone(),
                        url: (s.location.starts_with("https://")
                            || s.location.starts_with("http://"))
                        .then(|| s.location.clone()),
                        tier: s.tier.label(),
                    })
                    .collect(),
                values: db.records.iter().filter(|r| r.instrument == i).count(),
            }
        })
        .collect();
    let columns = Columns {
        contaminant: true,
        country: false,
        notes: true,
        anchors: false,
    };
    view.table = table(
        site,
        page,
        &records,
        columns,
        &format!("{name}: {}", locale.t("threshold_values")),
    );
}

/// The table of a ```` ```thresholds ```` block.
pub fn block_table(site: &View, page: &Page, filter: &Filter) -> Trusted {
    let records: Vec<RecordIx> = (site.data().records)
        .iter()
        .enumerate()
        .filter(|(_, r)| filter.matches(r))
        .map(|(i, _)| RecordIx(i))
        .collect();
    let columns = Columns {
        contaminant: filter.contaminants.len() != 1,
        country: filter.countries.len() != 1,
        notes: false,
        anchors: false,
    };
    let locale = site.locale(page.lang);
    if records.is_empty() {
        let mut html = Html::default();
        (html.open("p").attr("class", "thresholds-empty").end())
            .text(locale.t("no_match"))
            .close("p");
        return html.finish();
    }
    let caption = locale
        .t("table_caption")
        .replace("{n}", &records.len().to_string());
    table(site, page, &records, columns, &caption)
}

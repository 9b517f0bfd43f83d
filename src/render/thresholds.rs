//! The threshold database as HTML: tables (shared by the explorer, contaminant and country pages
//! and ```` ```thresholds ```` blocks, so a value looks the same everywhere) and the page views.
//! Every string from the data is written through [`Html`], which escapes it.

use super::chart;
use super::html::{Html, Trusted};
use super::markdown::relative_url;
use super::shown::{Shown, View};
use super::templates::LinkView;
use crate::data::{
    Amount, Condition, ContaminantIx, CountryIx, Database, Extraction, Filter, Instrument, Record,
    RecordIx, Status, Texture, Tier, Unit, format_number,
};
use crate::i18n::Locale;
use crate::model::{DataPage, Page};
use serde::Serialize;
use std::fmt::Write;

/// Output paths of the downloads, beside the explorer.
pub const CSV_PATH: &str = "thresholds/thresholds.csv";
pub const JSON_PATH: &str = "thresholds/thresholds.json";
pub const SCHEMA_PATH: &str = "thresholds/thresholds.schema.json";
/// The Frictionless Data Package that describes the CSV.
pub const DATAPACKAGE_PATH: &str = "thresholds/datapackage.json";

/// The explorer's records file (see `explorer.rs`), beside the explorer page at `url`.
pub fn explorer_records(url: &str) -> String {
    let dir = url.rfind('/').map_or("", |i| &url[..=i]);
    format!("{dir}records.js")
}

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

/// Row anchor of a record: its stable id, which adding or reordering other rows never changes.
pub fn record_anchor(db: &Database, ix: RecordIx) -> String {
    db.records[ix.0].id.clone()
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

/// A condition of a value as a table shows it, in the page's language.
pub struct Phrase {
    pub text: String,
    /// A band of numbers (`5.5 < pH ≤ 6.5`): written left to right on every page, so that a
    /// right-to-left page does not reorder its operands.
    pub ltr: bool,
}

/// The structured conditions of a value, each as a short phrase in the page's language.
pub fn condition_phrases(c: &Condition, locale: &Locale) -> Vec<Phrase> {
    let mut out = Vec::new();
    let band = |b: &crate::data::Band| Phrase {
        text: locale.numbers_in(&b.to_string()),
        ltr: true,
    };
    let said = |text: String| Phrase { text, ltr: false };
    if let Some(b) = &c.ph {
        out.push(band(b));
    }
    if let Some(t) = c.texture {
        let texture = locale.t(match t {
            Texture::Sand => "texture_sand",
            Texture::LoamSilt => "texture_loam_silt",
            Texture::Clay => "texture_clay",
        });
        out.push(said(locale.t("cond_texture").replace("{texture}", texture)));
    }
    if let Some(b) = &c.organic_carbon {
        out.push(band(b));
    }
    if let Some(e) = c.extraction {
        out.push(said(
            locale
                .t(&format!("measurand_{}", extraction_key(e)))
                .to_string(),
        ));
    }
    if let Some(m) = &c.medium {
        out.push(said(locale.t("cond_medium").replace("{medium}", m)));
    }
    if let Some(s) = &c.scope {
        out.push(said(s.clone()));
    }
    out
}

/// The id of an extraction in URLs and interface-string keys (`measurand_aqua_regia`).
pub fn extraction_key(e: Extraction) -> &'static str {
    match e {
        Extraction::Total => "total",
        Extraction::AquaRegia => "aqua_regia",
        Extraction::AmmoniumNitrate => "ammonium_nitrate",
        Extraction::Alkaline => "alkaline",
        Extraction::Dtpa => "dtpa",
        Extraction::Edta => "edta",
    }
}

/// What a value measures, for the explorer's facet and the chart's panels: the extraction, a
/// medium other than soil, or "not stated". Values of different measurands are never compared on
/// one axis.
pub fn measurand_key(c: &Condition) -> &'static str {
    match (&c.medium, c.extraction) {
        (Some(_), _) => "not_soil",
        (None, Some(e)) => extraction_key(e),
        (None, None) => "unstated",
    }
}

/// Every measurand key, in the order facets and charts list them.
pub const MEASURANDS: [&str; 8] = [
    "total",
    "aqua_regia",
    "unstated",
    "alkaline",
    "ammonium_nitrate",
    "dtpa",
    "edta",
    "not_soil",
];

/// The id of a status in URLs, CSS classes and interface-string keys (`status_in_force`).
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::InForce => "in_force",
        Status::Dated => "dated",
        Status::Superseded => "superseded",
    }
}

/// The id of a source tier in URLs, CSS classes and interface-string keys.
pub fn tier_key(t: Tier) -> &'static str {
    match t {
        Tier::Primary => "primary",
        Tier::Secondary => "secondary",
    }
}

/// [`value_text`] in the page's language: its numbers in the language's notation and the words
/// ("as given", "no value") from its interface strings.
pub fn localized_value(amount: &Amount, locale: &Locale) -> (String, String) {
    match amount {
        Amount::NoValue => (String::new(), locale.t("no_value").to_string()),
        Amount::Value(q) => {
            let canonical = q.mg_per_kg();
            let mut shown = format!("{} mg/kg", format_number(canonical));
            if q.unit != Unit::MgPerKg {
                let given = locale
                    .t("as_given")
                    .replace("{value}", &q.written)
                    .replace("{unit}", q.unit.as_str());
                let _ = write!(shown, " ({given})");
            } else if q.written.parse::<f64>().ok() == Some(canonical) && q.written.contains('.') {
                shown = format!("{} mg/kg", group_written(&q.written));
            }
            (canonical.to_string(), locale.numbers_in(&shown))
        }
    }
}

/// The header keys of a table's columns, in order. The value comes right after what identifies
/// the row, so that it stays in view on a narrow screen and at 1280 px.
fn headers(columns: Columns) -> Vec<&'static str> {
    let mut headers: Vec<&str> = Vec::new();
    if columns.contaminant {
        headers.push("contaminant");
    }
    if columns.country {
        headers.push("jurisdiction");
    }
    headers.extend([
        "value_unit",
        "conditions",
        "land_use",
        "value_type",
        "source",
    ]);
    headers
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
    // A table wider than its box scrolls inside its wrapper (shadows at its edges show that it
    // does); keyboard users reach it with Tab.
    html.open("div")
        .attr("class", "table-wrap")
        .attr("role", "region")
        .attr("tabindex", "0")
        .attr("aria-label", caption)
        .end();
    html.open("table").attr("class", "thresholds").end();
    html.element("caption", caption).markup("<thead><tr>");
    let locale = view.locale(from.lang);
    for (i, key) in headers(columns).iter().enumerate() {
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

/// Opens a cell carrying its column's name, which narrow screens show above the cell's text
/// when rows become cards.
fn cell<'h>(html: &'h mut Html, label: &str) -> super::html::StartTag<'h> {
    html.open("td").attr("data-label", label)
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
        cell(html, locale.t("contaminant"))
            .attr("class", "who")
            .end()
            .open("a")
            .attr_fmt("href", format_args!("{url}#{}", record_anchor(db, ix)))
            .end()
            .text(db.contaminant_name(r.contaminant, lang))
            .markup("</a></td>");
    }
    if columns.country {
        let url = page_url(from, view.country_page(r.country, from.lang));
        cell(html, locale.t("jurisdiction"))
            .attr("class", "who")
            .end()
            .open("a")
            .attr("href", &url)
            .end()
            .text(db.country_name(r.country, lang));
        // A regional instrument's region beside its country, isolated: a Latin name in an
        // Arabic page would otherwise take the brackets with it ("بلجيكا Vlaams) (Gewest").
        if let Some(region) = &instrument.subdivision {
            html.text(" (")
                .open("bdi")
                .end()
                .text(db.subdivision_name(region, lang))
                .markup("</bdi>)");
        }
        html.markup("</a></td>");
    }
    let (sort, shown) = localized_value(&r.amount, locale);
    let class = if matches!(r.amount, Amount::NoValue) {
        "num none"
    } else {
        "num"
    };
    // Numbers and units read left to right in a right-to-left page too.
    cell(html, locale.t("value_unit"))
        .attr("class", class)
        .attr("data-v", &sort)
        .end();
    html.open("bdi")
        .attr("dir", "ltr")
        .end()
        .text(&shown)
        .markup("</bdi></td>");
    cell(html, locale.t("conditions")).end();
    // Each phrase isolated: in Arabic, "5.5 < pH ≤ 6.5" keeps its order.
    for (i, phrase) in condition_phrases(&r.condition, locale).iter().enumerate() {
        if i > 0 {
            html.markup("; ");
        }
        html.open("bdi")
            .attr_if(phrase.ltr, "dir", "ltr")
            .end()
            .text(&phrase.text)
            .close("bdi");
    }
    if columns.notes {
        if let Some(basis) = &r.basis {
            html.open("span")
                .attr("class", "note")
                .end()
                .text(locale.t("basis"))
                .markup(": ")
                .open("bdi")
                .end()
                .text(basis)
                .markup("</bdi></span>");
        }
        if let Some(note) = &r.note {
            html.open("bdi")
                .attr("class", "note")
                .end()
                .text(note)
                .close("bdi");
        }
    }
    html.markup("</td>");
    for (label, name, national) in [
        (
            "land_use",
            db.land_use_name(r.land_use.class, lang),
            &r.land_use.national,
        ),
        (
            "value_type",
            db.value_type_name(r.value_type.class, lang),
            &r.value_type.national,
        ),
    ] {
        // The national term is in the instrument's language (brackets and all): isolated, so
        // that a right-to-left page neither reorders nor mirrors it.
        cell(html, locale.t(label))
            .end()
            .text(name)
            .open("bdi")
            .attr("class", "term")
            .end()
            .text(national)
            .markup("</bdi></td>");
    }
    let url = page_url(from, view.country_page(r.country, from.lang));
    cell(html, locale.t("source")).end();
    // Without a country column (a country's page) a regional instrument still says where it
    // applies.
    if let (false, Some(region)) = (columns.country, &instrument.subdivision) {
        html.open("bdi")
            .attr("class", "region")
            .end()
            .text(db.subdivision_name(region, lang))
            .close("bdi")
            .markup(" ");
    }
    html.open("a")
        .attr_fmt(
            "href",
            format_args!("{url}#{}", instrument_anchor(instrument)),
        )
        .end()
        .open("bdi")
        .end()
        .text(&instrument_label(instrument))
        .markup("</bdi></a>");
    // Dated and superseded instruments are flagged on every row, not only on the country page.
    if instrument.status != Status::InForce {
        html.markup(" ")
            .open("span")
            .attr("class", "flag")
            .end()
            .text(locale.t(&format!("status_{}", status_key(instrument.status))))
            .close("span");
    }
    let tier = tier_key(source.tier);
    html.markup(" ")
        .open("span")
        .attr_fmt("class", format_args!("tier tier-{tier}"))
        .attr("title", locale.t(&format!("tier_{tier}")))
        .end()
        .text(locale.t(&format!("tier_label_{tier}")))
        .markup("</span></td></tr>");
}

#[derive(Serialize)]
pub struct InstrumentView {
    pub anchor: String,
    pub title: String,
    /// A regional instrument's subdivision: its ISO 3166-2 name and code (`Quebec (CA-QC)`).
    pub region: Option<String>,
    pub year: Option<String>,
    pub issuer: Option<String>,
    /// In the page's language.
    pub status: String,
    /// `in_force`, `dated`, `superseded`: for CSS.
    pub status_key: &'static str,
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
    /// `primary` or `secondary`: for CSS.
    pub tier: &'static str,
    /// In the page's language.
    pub tier_label: String,
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
    /// The explorer's records file, for its script.
    pub records_js: Option<String>,
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
            view.summary = locale
                .t("data_summary")
                .replace(
                    "{records}",
                    &locale.numbers_in(&format_number(all.len() as f64)),
                )
                .replace("{contaminants}", &db.contaminants.len().to_string())
                .replace("{countries}", &db.countries.len().to_string());
            // No row in the page: its script renders them from the records file, a page of
            // rows at a time (the whole table was 15,000 elements on a phone).
            view.records_js = Some(relative_url(&page.url, &explorer_records(&page.url)));
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
    view.chart = chart::contaminant_chart(db, &records, name, page.lang.0, locale);
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
                region: (inst.subdivision.as_ref())
                    .map(|s| format!("{} ({})", db.subdivision_name(s, page.lang.0), s.code)),
                year: inst.year.clone(),
                issuer: inst.issuer.clone(),
                status: locale
                    .t(&format!("status_{}", status_key(inst.status)))
                    .to_string(),
                status_key: status_key(inst.status),
                status_note: inst.status_note.clone(),
                basis: inst.basis.clone(),
                sources: inst
                    .sources
                    .iter()
                    .map(|s| SourceView {
                        title: s.title.clone(),
                        location: s.location.clone(),
                        // The source's own address; a location that is one address links too.
                        url: s.url.clone().or_else(|| {
                            (s.location.starts_with("https://")
                                || s.location.starts_with("http://"))
                            .then(|| s.location.clone())
                        }),
                        tier: tier_key(s.tier),
                        tier_label: locale
                            .t(&format!("tier_label_{}", tier_key(s.tier)))
                            .to_string(),
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
    let records = site.data().records_matching(filter);
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

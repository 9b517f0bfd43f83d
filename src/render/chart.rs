//! Charts drawn at build time as HTML and CSS: no script, no request, readable in print and in
//! dark mode (colours come from CSS classes), and accessible.
//!
//! A dot plot rather than an SVG drawing, so that the layout changes with the screen instead of
//! shrinking: at 360 px a row's name stands above its track and the text keeps its size. Each
//! mark is a link to its row in the table below: focusable, its details shown on focus and hover,
//! and a tap opens the row with every detail. Marks that would overlap are stacked, so three
//! equal values look like three. Values of different measurands (aqua regia, ammonium nitrate
//! extract, values measured in crops, …) are never on one axis: each has its own panel. Values
//! with no number to place are listed under the chart.

use super::html::{Html, Trusted};
use super::thresholds::{
    MEASURANDS, condition_phrases, localized_value, measurand_key, record_anchor,
};
use crate::data::{Database, LandUseIx, RecordIx, ValueTypeIx, format_number};
use crate::i18n::Locale;
use std::collections::BTreeMap;

/// Marks closer than this (in % of the track) share a place: the later one is stacked.
const NEAR: f64 = 2.2;

/// A value on the chart: where it goes and what it says.
struct Mark {
    value: f64,
    value_type: usize,
    anchor: String,
    /// Escaped HTML: text with its value and conditions isolated.
    label: Trusted,
}

/// One dot plot per measurand of a contaminant's values, on logarithmic scales: a row per land use
/// and jurisdiction, a mark per value, shaped and coloured by value type. Names and words are in
/// the page's language (`lang`, `locale`); numbers in its notation.
pub fn contaminant_chart(
    db: &Database,
    records: &[RecordIx],
    name: &str,
    lang: usize,
    locale: &Locale,
) -> Option<Trusted> {
    // measurand → (land use, jurisdiction name) → marks
    let mut panels: BTreeMap<usize, BTreeMap<(usize, String), Vec<Mark>>> = BTreeMap::new();
    let mut not_drawn: Vec<(String, Trusted)> = Vec::new();
    for &ix in records {
        let r = &db.records[ix.0];
        // A regional instrument is its own row: "Canada (Quebec)" is not Canada.
        let country = db.jurisdiction_name(r, lang).to_string();
        // The value and each condition isolated: in Arabic "20 mg/kg" and "5.5 < pH ≤ 6.5"
        // keep their order.
        let mut label = Html::default();
        label
            .text_fmt(format_args!(
                "{country}, {}: {} ",
                db.land_use_name(r.land_use.class, lang),
                db.value_type_name(r.value_type.class, lang).to_lowercase(),
            ))
            .open("bdi")
            .attr("dir", "ltr")
            .end()
            .text(&localized_value(&r.amount, locale).1)
            .close("bdi");
        let phrases = condition_phrases(&r.condition, locale);
        for (i, p) in phrases.iter().enumerate() {
            label.markup(if i == 0 { " (" } else { "; " });
            (label.open("bdi").attr_if(p.ltr, "dir", "ltr").end())
                .text(&p.text)
                .close("bdi");
        }
        if !phrases.is_empty() {
            label.markup(")");
        }
        let label = label.finish();
        let anchor = record_anchor(db, ix);
        let Some(value) = r.amount.mg_per_kg().filter(|v| *v > 0.0) else {
            not_drawn.push((anchor, label));
            continue;
        };
        let measurand = MEASURANDS
            .iter()
            .position(|m| *m == measurand_key(&r.condition))
            .unwrap_or(0);
        panels
            .entry(measurand)
            .or_default()
            .entry((r.land_use.class.0, country))
            .or_default()
            .push(Mark {
                value,
                value_type: r.value_type.class.0,
                anchor,
                label,
            });
    }
    if panels.is_empty() && not_drawn.is_empty() {
        return None;
    }
    let count: usize = panels.values().flat_map(|p| p.values()).map(Vec::len).sum();
    let mut html = Html::with_capacity(4096 + count * 400);
    html.open("div")
        .attr("class", "dotplot")
        .attr("role", "group")
        .attr("aria-labelledby", "chart-title")
        .attr("aria-describedby", "chart-desc")
        .end();
    (html
        .open("p")
        .attr("class", "chart-title")
        .attr("id", "chart-title")
        .end())
    .text(&locale.t("chart_title").replace("{name}", name))
    .close("p");
    (html
        .open("p")
        .attr("class", "chart-desc")
        .attr("id", "chart-desc")
        .end())
    .text(
        &locale
            .t("chart_desc")
            .replace("{count}", &locale.numbers_in(&format_number(count as f64))),
    )
    .markup(" ")
    .text(locale.t("chart_focus"))
    .close("p");

    // Legend: the value types present, in vocabulary order.
    let mut types: Vec<usize> = (panels.values().flat_map(|p| p.values()).flatten())
        .map(|m| m.value_type)
        .collect();
    types.sort_unstable();
    types.dedup();
    if !types.is_empty() {
        html.open("ul").attr("class", "legend").end();
        for &t in &types {
            html.markup("<li>");
            shape(&mut html, t, &db.value_types[t].id);
            html.text(db.value_type_name(ValueTypeIx(t), lang))
                .markup("</li>");
        }
        html.markup("</ul>");
    }

    for (measurand, rows) in &panels {
        panel(&mut html, db, lang, locale, MEASURANDS[*measurand], rows);
    }

    if !not_drawn.is_empty() {
        html.open("div").attr("class", "not-drawn").end();
        (html.open("p").end())
            .text(locale.t("chart_not_drawn"))
            .close("p");
        html.markup("<ul>");
        for (anchor, label) in &not_drawn {
            html.markup("<li>")
                .open("a")
                .attr_fmt("href", format_args!("#{anchor}"))
                .end()
                .raw(label)
                .markup("</a></li>");
        }
        html.markup("</ul></div>");
    }
    html.markup("</div>");
    Some(html.finish())
}

/// One measurand's plot: its own logarithmic axis, a row per land use and jurisdiction.
fn panel(
    html: &mut Html,
    db: &Database,
    lang: usize,
    locale: &Locale,
    measurand: &str,
    rows: &BTreeMap<(usize, String), Vec<Mark>>,
) {
    let values = rows.values().flatten().map(|m| m.value);
    let (min, max) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let lo = min.log10().floor() as i32;
    let hi = (max.log10().ceil() as i32).max(lo + 1);
    let x = |v: f64| (v.log10() - f64::from(lo)) / f64::from(hi - lo) * 100.0;
    let id = format!("chart-{measurand}");
    html.open("section")
        .attr("class", "panel")
        .attr("aria-labelledby", &id)
        .end();
    (html.open("h2").attr("id", &id).end())
        .text(locale.t(&format!("measurand_{measurand}")))
        .close("h2");
    html.open("div")
        .attr("class", "plot")
        .attr_fmt("style", format_args!("--decades:{}", hi - lo))
        .end();
    let mut current = None;
    for ((land_use, country), marks) in rows {
        if current != Some(*land_use) {
            current = Some(*land_use);
            (html.open("p").attr("class", "group").end())
                .text(db.land_use_name(LandUseIx(*land_use), lang))
                .close("p");
        }
        // Stack marks that would overlap: each takes the first lane where it is clear.
        let mut order: Vec<&Mark> = marks.iter().collect();
        order.sort_by(|a, b| a.value.total_cmp(&b.value));
        let mut lanes: Vec<f64> = Vec::new();
        let placed: Vec<(&Mark, f64, usize)> = order
            .into_iter()
            .map(|m| {
                let px = x(m.value);
                let lane = match lanes.iter().position(|last| px - last >= NEAR) {
                    Some(l) => l,
                    None => {
                        lanes.push(f64::MIN);
                        lanes.len() - 1
                    }
                };
                lanes[lane] = px;
                (m, px, lane)
            })
            .collect();
        html.open("div")
            .attr("class", "row")
            .attr_fmt("style", format_args!("--lanes:{}", lanes.len()))
            .end();
        (html.open("span").attr("class", "label").end())
            .open("bdi")
            .end()
            .text(country)
            .markup("</bdi></span>");
        html.open("span")
            .attr("class", "track")
            .attr("dir", "ltr")
            .end();
        for (m, px, lane) in placed {
            let kind = m.value_type;
            html.open("a")
                .attr_fmt(
                    "class",
                    format_args!("mark s{} vt-{}", kind % 4, db.value_types[kind].id),
                )
                .attr_fmt("href", format_args!("#{}", m.anchor))
                .attr_fmt("style", format_args!("--p:{px:.2};--lane:{lane}"))
                .end()
                .open("span")
                .attr("class", "tip")
                .attr("dir", locale.direction.as_str())
                .end()
                .raw(&m.label)
                .markup("</span></a>");
        }
        html.markup("</span></div>");
    }
    // The axis is a row too, so that its ticks line up with the tracks in either direction.
    html.markup("<div class=\"row axis-row\" aria-hidden=\"true\"><span class=\"label\"></span>")
        .open("span")
        .attr("class", "axis")
        .attr("dir", "ltr")
        .end();
    for k in lo..=hi {
        (html.open("span"))
            .attr_fmt("style", format_args!("--p:{:.2}", x(10f64.powi(k))))
            .end()
            .text(&locale.numbers_in(&format_number(10f64.powi(k))))
            .close("span");
    }
    html.markup("</span></div>");
    (html.open("p").attr("class", "axis-title").end())
        .text(locale.t("chart_axis"))
        .close("p");
    html.markup("</div></section>");
}

/// A value type's mark in the legend: its shape as well as its colour tells the type apart.
fn shape(html: &mut Html, kind: usize, value_type: &str) {
    html.open("span")
        .attr_fmt("class", format_args!("mark s{} vt-{value_type}", kind % 4))
        .attr("aria-hidden", "true")
        .end()
        .close("span");
}

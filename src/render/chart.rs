//! Charts drawn at build time as inline SVG: no script, no request, readable in print and in
//! dark mode (colours come from CSS classes), and accessible (a title, a description, and the
//! table beside the chart holds every value).

use super::html::{Html, Trusted};
use crate::data::{Database, Extraction, RecordIx, format_number};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A value on the chart: mg/kg, value type index, and its label for the tooltip.
type Mark = (f64, usize, String);

const WIDTH: f64 = 720.0;
const LEFT: f64 = 210.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 44.0;
const ROW: f64 = 22.0;
const AXIS: f64 = 34.0;

/// A dot plot of one contaminant's soil values on a logarithmic scale: a row per land use and
/// country, a mark per value, shaped and coloured by value type. Values from partial extractions
/// or measured in crops are not on the same scale and stay in the table only.
/// Names are in the language `lang` (see [`Database::contaminant_name`]); numbers stay in the
/// chart's own left-to-right notation, which every reader of a log axis knows.
pub fn contaminant_chart(
    db: &Database,
    records: &[RecordIx],
    name: &str,
    lang: usize,
) -> Option<Trusted> {
    // (land use, country name) → marks
    let mut rows: BTreeMap<(usize, String), Vec<Mark>> = BTreeMap::new();
    let mut left_out = 0;
    for &ix in records {
        let r = &db.records[ix.0];
        let partial = matches!(
            r.condition.extraction,
            Some(Extraction::AmmoniumNitrate | Extraction::Dtpa | Extraction::Edta)
        );
        let Some(v) = r
            .amount
            .mg_per_kg()
            .filter(|v| *v > 0.0 && r.is_soil() && !partial)
        else {
            left_out += usize::from(r.amount.mg_per_kg().is_some());
            continue;
        };
        // A regional instrument is its own row: "Canada (Quebec)" is not Canada.
        let country = db.jurisdiction_name(r, lang);
        let mut label = format!(
            "{country}, {}: {} {} mg/kg",
            db.land_use_name(r.land_use.class, lang),
            db.value_type_name(r.value_type.class, lang).to_lowercase(),
            format_number(v)
        );
        let phrases = r.condition.phrases();
        if !phrases.is_empty() {
            let _ = write!(label, " ({})", phrases.join("; "));
        }
        rows.entry((r.land_use.class.0, country))
            .or_default()
            .push((v, r.value_type.class.0, label));
    }
    if rows.is_empty() {
        return None;
    }
    let values = rows.values().flatten().map(|m| m.0);
    let (min, max) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let lo = min.log10().floor() as i32;
    let hi = (max.log10().ceil() as i32).max(lo + 1);
    let plot = WIDTH - LEFT - RIGHT;
    let x = |v: f64| LEFT + (v.log10() - f64::from(lo)) / f64::from(hi - lo) * plot;

    let groups: Vec<usize> = {
        let mut g: Vec<usize> = rows.keys().map(|k| k.0).collect();
        g.dedup();
        g
    };
    let lines = rows.len() + groups.len();
    let height = TOP + lines as f64 * ROW + AXIS;
    let count: usize = rows.values().map(Vec::len).sum();
    let mut svg = Html::with_capacity(4096 + count * 200);
    svg.open("svg")
        .attr("class", "chart")
        .attr_fmt("viewBox", format_args!("0 0 {WIDTH} {height}"))
        .attr_fmt("width", format_args!("{WIDTH}"))
        .attr_fmt("height", format_args!("{height}"))
        .attr("role", "img")
        .attr("aria-labelledby", "chart-title chart-desc")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .end();
    let left_out = match left_out {
        0 => String::new(),
        n => format!(" {n} values measured in a partial extract or in crops are not drawn."),
    };
    (svg.open("title").attr("id", "chart-title").end())
        .text_fmt(format_args!(
            "{name}: threshold values by land use and country"
        ))
        .close("title");
    (svg.open("desc").attr("id", "chart-desc").end())
        .text_fmt(format_args!(
            "{count} values from {} to {} mg/kg dry weight on a logarithmic scale, one row per land use and country, one mark per value type.{left_out} The table below lists every value with its conditions and source.",
            format_number(min),
            format_number(max),
        ))
        .close("desc");

    // Legend: the value types present, in vocabulary order.
    let mut types: Vec<usize> = rows.values().flatten().map(|m| m.1).collect();
    types.sort_unstable();
    types.dedup();
    let mut lx = 0.0;
    for &t in &types {
        let class = &db.value_types[t];
        let class_name = db.value_type_name(crate::data::ValueTypeIx(t), lang);
        mark(&mut svg, t, &class.id, lx + 8.0, 14.0, None);
        (svg.open("text"))
            .attr_fmt("x", format_args!("{}", lx + 18.0))
            .attr("y", "18")
            .attr("class", "legend")
            .end()
            .text(class_name)
            .close("text");
        lx += 26.0 + class_name.chars().count() as f64 * 7.0;
    }

    // Grid and axis, one line per decade.
    let bottom = height - AXIS;
    for k in lo..=hi {
        let gx = x(10f64.powi(k));
        (svg.open("line"))
            .attr("class", "grid")
            .attr_fmt("x1", format_args!("{gx:.1}"))
            .attr_fmt("x2", format_args!("{gx:.1}"))
            .attr_fmt("y1", format_args!("{}", TOP - 6.0))
            .attr_fmt("y2", format_args!("{bottom}"))
            .end_empty();
        tick(&mut svg, format_args!("{gx:.1}"), bottom + 16.0)
            .text(&format_number(10f64.powi(k)))
            .close("text");
    }
    tick(
        &mut svg,
        format_args!("{}", LEFT + plot / 2.0),
        bottom + 30.0,
    )
    .markup("mg/kg dry weight (logarithmic scale)")
    .close("text");

    let mut y = TOP;
    let mut current = None;
    for ((land_use, country), marks) in &rows {
        if current != Some(*land_use) {
            current = Some(*land_use);
            (svg.open("text"))
                .attr("class", "group")
                .attr("x", "0")
                .attr_fmt("y", format_args!("{:.1}", y + 15.0))
                .end()
                .text(db.land_use_name(crate::data::LandUseIx(*land_use), lang))
                .close("text");
            y += ROW;
        }
        let cy = y + ROW / 2.0;
        (svg.open("text"))
            .attr("class", "label")
            .attr("x", "12")
            .attr_fmt("y", format_args!("{:.1}", cy + 4.0))
            .end()
            .text(country)
            .close("text");
        (svg.open("line"))
            .attr("class", "row")
            .attr_fmt("x1", format_args!("{LEFT}"))
            .attr_fmt("x2", format_args!("{}", WIDTH - RIGHT))
            .attr_fmt("y1", format_args!("{cy:.1}"))
            .attr_fmt("y2", format_args!("{cy:.1}"))
            .end_empty();
        for (v, t, label) in marks {
            mark(&mut svg, *t, &db.value_types[*t].id, x(*v), cy, Some(label));
        }
        y += ROW;
    }
    svg.markup("</svg>");
    Some(svg.finish())
}

/// An axis label, centred at `x`: `<text class="tick" …>`, its text to follow.
fn tick<'h>(svg: &'h mut Html, x: std::fmt::Arguments, y: f64) -> &'h mut Html {
    (svg.open("text"))
        .attr("class", "tick")
        .attr_fmt("x", x)
        .attr_fmt("y", format_args!("{y}"))
        .attr("text-anchor", "middle")
        .end()
}

/// One mark: its shape as well as its colour tells the value type apart.
fn mark(svg: &mut Html, kind: usize, value_type: &str, x: f64, y: f64, title: Option<&str>) {
    let class = format_args!("mark vt-{value_type}");
    let (name, shape) = match kind % 4 {
        0 => (
            "circle",
            (svg.open("circle"))
                .attr_fmt("class", class)
                .attr_fmt("cx", format_args!("{x:.1}"))
                .attr_fmt("cy", format_args!("{y:.1}"))
                .attr("r", "5"),
        ),
        1 => (
            "rect",
            (svg.open("rect"))
                .attr_fmt("class", class)
                .attr_fmt("x", format_args!("{:.1}", x - 4.5))
                .attr_fmt("y", format_args!("{:.1}", y - 4.5))
                .attr("width", "9")
                .attr("height", "9"),
        ),
        2 => (
            "path",
            (svg.open("path"))
                .attr_fmt("class", class)
                .attr_fmt("d", format_args!("M{x:.1} {:.1}l6 6-6 6-6-6z", y - 6.0)),
        ),
        _ => (
            "path",
            (svg.open("path"))
                .attr_fmt("class", class)
                .attr_fmt("d", format_args!("M{x:.1} {:.1}l6 10h-12z", y - 6.0)),
        ),
    };
    let svg = shape.end();
    if let Some(title) = title {
        svg.element("title", title);
    }
    svg.close(name);
}

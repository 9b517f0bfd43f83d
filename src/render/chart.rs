//! Charts drawn at build time as inline SVG: no script, no request, readable in print and in
//! dark mode (colours come from CSS classes), and accessible (a title, a description, and the
//! table beside the chart holds every value).

use super::markdown::escape;
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
) -> Option<String> {
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
        let country = db.country_name(r.country, lang).to_string();
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
    let mut svg = String::with_capacity(4096 + count * 200);
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let _ = write!(
        svg,
        "<title id=\"chart-title\">{}: threshold values by land use and country</title><desc id=\"chart-desc\">{count} values from {} to {} mg/kg dry weight on a logarithmic scale, one row per land use and country, one mark per value type.{} The table below lists every value with its conditions and source.</desc>",
        escape(name),
        format_number(min),
        format_number(max),
        if left_out > 0 {
            format!(" {left_out} values measured in a partial extract or in crops are not drawn.")
        } else {
            String::new()
        }
    );

    // Legend: the value types present, in vocabulary order.
    let mut types: Vec<usize> = rows.values().flatten().map(|m| m.1).collect();
    types.sort_unstable();
    types.dedup();
    let mut lx = 0.0;
    for &t in &types {
        let class = &db.value_types[t];
        let class_name = db.value_type_name(crate::data::ValueTypeIx(t), lang);
        mark(&mut svg, t, &escape(&class.id), lx + 8.0, 14.0, None);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"18\" class=\"legend\">{}</text>",
            lx + 18.0,
            escape(class_name)
        );
        lx += 26.0 + class_name.chars().count() as f64 * 7.0;
    }

    // Grid and axis, one line per decade.
    let bottom = height - AXIS;
    for k in lo..=hi {
        let gx = x(10f64.powi(k));
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{gx:.1}\" x2=\"{gx:.1}\" y1=\"{}\" y2=\"{bottom}\"/><text class=\"tick\" x=\"{gx:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            TOP - 6.0,
            bottom + 16.0,
            format_number(10f64.powi(k))
        );
    }
    let _ = write!(
        svg,
        "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">mg/kg dry weight (logarithmic scale)</text>",
        LEFT + plot / 2.0,
        bottom + 30.0
    );

    let mut y = TOP;
    let mut current = None;
    for ((land_use, country), marks) in &rows {
        if current != Some(*land_use) {
            current = Some(*land_use);
            let _ = write!(
                svg,
                "<text class=\"group\" x=\"0\" y=\"{:.1}\">{}</text>",
                y + 15.0,
                escape(db.land_use_name(crate::data::LandUseIx(*land_use), lang))
            );
            y += ROW;
        }
        let cy = y + ROW / 2.0;
        let _ = write!(
            svg,
            "<text class=\"label\" x=\"12\" y=\"{:.1}\">{}</text><line class=\"row\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{cy:.1}\" y2=\"{cy:.1}\"/>",
            cy + 4.0,
            escape(country),
            WIDTH - RIGHT
        );
        for (v, t, label) in marks {
            mark(
                &mut svg,
                *t,
                &escape(&db.value_types[*t].id),
                x(*v),
                cy,
                Some(label),
            );
        }
        y += ROW;
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// One mark: its shape as well as its colour tells the value type apart.
fn mark(svg: &mut String, kind: usize, class: &str, x: f64, y: f64, title: Option<&str>) {
    let title = title
        .map(|t| format!("<title>{}</title>", escape(t)))
        .unwrap_or_default();
    let class = format!("mark vt-{class}");
    let _ = match kind % 4 {
        0 => write!(
            svg,
            "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\">{title}</circle>"
        ),
        1 => write!(
            svg,
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\">{title}</rect>",
            x - 4.5,
            y - 4.5
        ),
        2 => write!(
            svg,
            "<path class=\"{class}\" d=\"M{x:.1} {:.1}l6 6-6 6-6-6z\">{title}</path>",
            y - 6.0
        ),
        _ => write!(
            svg,
            "<path class=\"{class}\" d=\"M{x:.1} {:.1}l6 10h-12z\">{title}</path>",
            y - 6.0
        ),
    };
}

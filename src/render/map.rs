//! The coverage map: which jurisdictions have values, drawn at build time as one inline SVG, so
//! it needs no tiles, no script and no request to any other host, and works from `file://`.
//!
//! The outlines are Natural Earth 1:110m (public domain), converted once by
//! `scripts/make-world-map.py` into `world-110m.txt`: one SVG path per ISO 3166-1 alpha-3 code in
//! an Equal Earth projection, integer coordinates, small islands dropped (19 KiB, 8 KiB gzipped).
//! It is inlined rather than referenced: an SVG `<use>` of another file fails under `file://`
//! in Chromium, and a separate file would be a second request for one figure. The enlarged view
//! of Europe reuses the outlines with a `<use>` of a group in the same SVG, which costs a few
//! bytes and works everywhere. Countries without any value are merged into one path, so the map
//! adds few elements.

use super::html::{Html, Trusted};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// How a country is coloured. The order is the legend's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shade {
    /// Values of a national instrument.
    National,
    /// Values only of a regional instrument (Flanders, Québec, Minas Gerais): the country is
    /// drawn hatched, because the values do not apply to all of it.
    Regional,
    /// An EU member state without values of its own, while the European Union has some.
    EuWide,
    /// A jurisdiction of the database without values here (on a contaminant's page).
    Without,
}

impl Shade {
    /// The class of its outline and swatch. Selectors on these classes alone (not `.map .x`)
    /// also style the inset, whose outlines are a `<use>` clone outside the `.map` ancestry.
    pub fn class(self) -> &'static str {
        match self {
            Shade::National => "map-has",
            Shade::Regional => "map-regional",
            Shade::EuWide => "map-eu",
            Shade::Without => "map-without",
        }
    }
}

/// The EU's member states (ISO 3166-1 alpha-3), since 1 February 2020: values of the European
/// Union colour them lightly where they have none of their own.
pub const EU_MEMBERS: &[&str] = &[
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
];

/// The European Union's code in the database (not an ISO 3166-1 code, no outline of its own).
pub const EU: &str = "EUU";

struct Outlines {
    /// `W H` of the view box.
    view_box: &'static str,
    /// Alpha-3 code → path, in code order.
    countries: BTreeMap<&'static str, &'static str>,
    /// Outlines without an ISO code (N. Cyprus, Somaliland, Kosovo): land, never coloured.
    unnamed: &'static str,
}

fn outlines() -> &'static Outlines {
    static OUTLINES: OnceLock<Outlines> = OnceLock::new();
    OUTLINES.get_or_init(|| {
        let mut out = Outlines {
            view_box: "1000 440",
            countries: BTreeMap::new(),
            unnamed: "",
        };
        let text = include_str!("world-110m.txt");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((key, value)) = line.split_once('\t') else {
                continue;
            };
            match key {
                "viewbox" => out.view_box = value,
                "---" => out.unnamed = value,
                code => {
                    out.countries.insert(code, value);
                }
            }
        }
        out
    })
}

/// Whether the outlines have a country (`TWN` yes, `EUU` no).
pub fn has_outline(code: &str) -> bool {
    outlines().countries.contains_key(code)
}

/// One jurisdiction to colour: its code, its shade, and what its tooltip says.
pub struct Mark {
    pub code: String,
    pub shade: Shade,
    pub label: String,
}

/// The words of the figure, in the page's language.
pub struct Labels<'a> {
    /// The SVG's accessible name.
    pub title: &'a str,
    /// Legend entries, for the shades in use.
    pub legend: Vec<(Shade, String)>,
    /// Land without data.
    pub other: &'a str,
    /// Under the map: the source of the outlines, and where the same facts are in a table.
    pub caption: &'a str,
    /// Unique on the page, for the `<title>` id.
    pub id: &'a str,
    /// The label of the enlarged view of Europe.
    pub inset: &'a str,
}

/// The enlarged view of Europe, where a dozen jurisdictions with values share a thumbnail's
/// width: its place over the empty South Pacific, and the part of the map it shows (Iceland to
/// the Urals' foot, Nordkapp to Crete), in view-box units of the outlines.
const INSET_AT: (i32, i32, i32, i32) = (3, 247, 250, 189);
const INSET_VIEW: &str = "462 16 135 102";

/// The figure: the map, its legend (HTML, so it wraps and translates) and a caption naming the
/// outlines' source. Countries too small to see at phone width get a dot at their centre.
pub fn figure(marks: &[Mark], labels: &Labels) -> Trusted {
    let o = outlines();
    let mut by_code: BTreeMap<&str, &Mark> = BTreeMap::new();
    for m in marks {
        by_code.insert(m.code.as_str(), m);
    }
    let mut html = Html::with_capacity(24_000);
    html.open("figure").attr("class", "coverage-map").end();
    let title_id = format!("{}-title", labels.id);
    html.open("svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr_fmt("viewBox", format_args!("0 0 {}", o.view_box))
        .attr("class", "map")
        .attr("role", "img")
        .attr("aria-labelledby", &title_id)
        .attr("focusable", "false")
        .end();
    html.open("title")
        .attr("id", &title_id)
        .end()
        .text(labels.title)
        .close("title");
    // Regional values: the country hatched, as only part of it is covered.
    html.markup(
        "<defs><pattern id=\"map-hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" style=\"fill:var(--map-land)\"/><rect width=\"2\" height=\"4\" style=\"fill:var(--map-has)\"/></pattern></defs>",
    );
    // The outlines in one group, drawn again (by reference, same document) in the inset.
    let world = format!("{}-world", labels.id);
    html.open("g").attr("id", &world).end();
    // Everything without a shade in one path: the bulk of the outlines, one element.
    let mut land = String::with_capacity(20_000);
    land.push_str(o.unnamed);
    for (code, d) in &o.countries {
        if !by_code.contains_key(code) {
            land.push_str(d);
        }
    }
    html.open("path")
        .attr("class", "map-land")
        .attr("d", &land)
        .end_empty();
    let mut dots = Vec::new();
    for (code, mark) in &by_code {
        let Some(d) = o.countries.get(code) else {
            continue;
        };
        html.open("path")
            .attr("class", mark.shade.class())
            .attr("data-k", code)
            .attr("d", d)
            .end();
        html.element("title", &mark.label).close("path");
        // EU members lit by EU-wide values get none: the EU's dots would hide the others'.
        if let Some((x, y)) = small_centre(d).filter(|_| mark.shade != Shade::EuWide) {
            dots.push((x, y, mark));
        }
    }
    html.close("g");
    for (x, y, mark) in dots {
        html.open("circle")
            .attr("class", mark.shade.class())
            .attr("data-dot", &mark.code)
            .attr_fmt("cx", format_args!("{x}"))
            .attr_fmt("cy", format_args!("{y}"))
            .attr("r", "5")
            .end();
        html.element("title", &mark.label).close("circle");
    }
    let (x, y, w, h) = INSET_AT;
    html.markup("<g class=\"inset\">")
        .open("rect")
        .attr("class", "inset-frame")
        .attr_fmt("x", format_args!("{}", x - 1))
        .attr_fmt("y", format_args!("{}", y - 1))
        .attr_fmt("width", format_args!("{}", w + 2))
        .attr_fmt("height", format_args!("{}", h + 2))
        .end_empty()
        .open("svg")
        .attr_fmt("x", format_args!("{x}"))
        .attr_fmt("y", format_args!("{y}"))
        .attr_fmt("width", format_args!("{w}"))
        .attr_fmt("height", format_args!("{h}"))
        .attr("viewBox", INSET_VIEW)
        .end()
        .open("use")
        .attr_fmt("href", format_args!("#{world}"))
        .end_empty()
        .close("svg")
        .open("text")
        .attr("class", "inset-label")
        .attr_fmt("x", format_args!("{}", x + 2))
        .attr_fmt("y", format_args!("{}", y - 6))
        .end()
        .text(labels.inset)
        .close("text")
        .close("g");
    html.close("svg");
    html.open("ul").attr("class", "map-legend").end();
    for (shade, text) in &labels.legend {
        html.open("li").end();
        html.open("span")
            .attr_fmt("class", format_args!("swatch {}", shade.class()))
            .attr("aria-hidden", "true")
            .end()
            .close("span");
        html.text(text).close("li");
    }
    html.open("li").end();
    html.open("span")
        .attr("class", "swatch map-land")
        .attr("aria-hidden", "true")
        .end()
        .close("span");
    html.text(labels.other).close("li");
    html.close("ul");
    html.element("figcaption", labels.caption);
    html.close("figure");
    html.finish()
}

/// The centre of an outline whose extent is at most 14 units both ways (Taiwan, Belgium, Costa
/// Rica), where a dot shows it at any width; `None` for larger ones.
fn small_centre(d: &str) -> Option<(i32, i32)> {
    let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    // Paths are `M x y l dx dy … z` with integers (see the script): absolute after `M`,
    // relative after `l`.
    for sub in d.split('M').filter(|s| !s.is_empty()) {
        let mut numbers = numbers(sub);
        let (Some(ax), Some(ay)) = (numbers.next(), numbers.next()) else {
            continue;
        };
        let (mut x, mut y) = (ax, ay);
        let mut extend = |x: i32, y: i32| {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        };
        extend(x, y);
        while let (Some(dx), Some(dy)) = (numbers.next(), numbers.next()) {
            (x, y) = (x + dx, y + dy);
            extend(x, y);
        }
    }
    (x1 >= x0 && x1 - x0 <= 14 && y1 - y0 <= 14).then(|| ((x0 + x1) / 2, (y0 + y1) / 2))
}

/// The integers of a path's text, signs included (`3-2` is 3 and -2).
fn numbers(text: &str) -> impl Iterator<Item = i32> + '_ {
    text.split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .flat_map(|s| {
            // `3-2`: a minus inside starts a new number.
            let mut parts = Vec::new();
            let mut start = 0;
            for (i, c) in s.char_indices() {
                if c == '-' && i > start {
                    parts.push(&s[start..i]);
                    start = i;
                }
            }
            parts.push(&s[start..]);
            parts
        })
        .filter_map(|s| s.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outline_reads() {
        let o = outlines();
        assert!(o.countries.len() > 170, "{}", o.countries.len());
        for code in ["DEU", "TWN", "BEL", "CRI", "VNM", "BRA", "FJI"] {
            assert!(has_outline(code), "{code}");
        }
        assert!(!has_outline(EU));
    }

    #[test]
    fn small_countries_get_a_dot() {
        let o = outlines();
        assert!(small_centre(o.countries["TWN"]).is_some());
        assert!(small_centre(o.countries["BEL"]).is_some());
        assert!(small_centre(o.countries["BRA"]).is_none());
        assert_eq!(
            numbers("M1 2l3-4-5 6z").collect::<Vec<_>>(),
            [1, 2, 3, -4, -5, 6]
        );
    }

    #[test]
    fn marks_and_labels_are_escaped() {
        let marks = [Mark {
            code: "DEU".into(),
            shade: Shade::Regional,
            label: "<b>\"x\"".into(),
        }];
        let labels = Labels {
            title: "a<b",
            legend: vec![(Shade::Regional, "r&d".into())],
            other: "o",
            caption: "c",
            id: "m",
            inset: "Europe",
        };
        let html = figure(&marks, &labels).into_string();
        assert!(
            html.contains("<title>&lt;b&gt;&quot;x&quot;</title>")
                || html.contains("<title>&lt;b&gt;\"x\"</title>"),
            "{html}"
        );
        assert!(html.contains("a&lt;b") && html.contains("r&amp;d"));
        assert!(html.contains("class=\"map-regional\" data-k=\"DEU\""));
        assert_eq!(html.matches("<path").count(), 2);
    }
}

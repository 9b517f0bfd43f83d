//! Comparison and coverage as readers meet them: the jurisdiction × land-use matrix of a
//! contaminant's page holds exactly that contaminant's values, each saying what was measured; the
//! coverage map colours the jurisdictions with values and no others, on contaminant pages and the
//! dataset page; data in both is escaped; nothing in them asks another host for anything.

mod common;

use common::SiteTest;
use std::path::Path;

/// The part of `html` from `start` to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in the page"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

fn matrix(html: &str) -> &str {
    between(html, "<table class=\"matrix\">", "</table>")
}

fn map(html: &str) -> &str {
    between(html, "<figure class=\"coverage-map\">", "</figure>")
}

/// `(class, code)` of every coloured outline of a map, in the order drawn.
fn coloured(map: &str) -> Vec<(String, String)> {
    map.split("<path class=\"")
        .skip(1)
        .filter_map(|rest| {
            let class = &rest[..rest.find('"')?];
            let code = rest
                .split("data-k=\"")
                .nth(1)
                .filter(|_| class != "map-land")?;
            Some((class.to_string(), code[..code.find('"')?].to_string()))
        })
        .collect()
}

/// The cell of `row` (a jurisdiction code) under `column` (a land-use class id).
fn cell<'a>(matrix: &'a str, row: &str, column: &str) -> &'a str {
    let header = between(matrix, "<thead>", "</thead>");
    let index = header
        .split("<th ")
        .skip(2)
        .position(|th| th.contains(&format!("data-l=\"{column}\"")))
        .unwrap_or_else(|| panic!("no column {column}"));
    let tr = between(matrix, &format!("<tr data-k=\"{row}\">"), "</tr>");
    tr.split("<td").nth(index + 1).expect("a cell")
}

#[test]
fn the_matrix_holds_exactly_the_values_of_its_contaminant() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let cd = site.read("public/thresholds/contaminants/cd.html");
    let m = matrix(&cd);
    // The fixture's four cadmium values (two German, two Dutch), once each, and no other.
    assert_eq!(m.matches("<li data-r=").count(), 4, "{m}");
    // Each value links to its own row of the table, by the record's id.
    let mut anchors: Vec<&str> = m
        .split("href=\"#")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    anchors.sort();
    anchors.dedup();
    assert_eq!(anchors.len(), 4, "{anchors:?}");
    for anchor in anchors {
        assert!(
            anchor.starts_with("deu-cd-") || anchor.starts_with("nld-cd-"),
            "{anchor}"
        );
        assert!(cd.contains(&format!("id=\"{anchor}\"")), "no row {anchor}");
    }
    assert_eq!(
        m.matches("<tr data-k=").count(),
        2,
        "Germany and the Netherlands"
    );
    // Columns: the classes with values, in the order of land-uses.yaml.
    let header = between(m, "<thead>", "</thead>");
    assert!(header.contains(">Jurisdiction</th><th scope=\"col\" data-l=\"agricultural\">Agricultural</th><th scope=\"col\" data-l=\"residential\">Residential</th></tr>"), "{header}");
    // A known cell: the Dutch residential value, converted from 300 µg/kg, dated.
    let nld = cell(m, "NLD", "residential");
    assert!(nld.contains("<bdi dir=\"ltr\">0.3 mg/kg</bdi>"), "{nld}");
    assert!(
        nld.contains("<span class=\"vt\">Intervention</span>"),
        "{nld}"
    );
    assert!(nld.contains("<span class=\"flag\">dated</span>"), "{nld}");
    // German farmland mixes an ammonium-nitrate extract with a value of unstated extraction:
    // each says which, and the number is as the source wrote it (0.10).
    let deu = cell(m, "DEU", "agricultural");
    assert!(deu.contains("0.3 mg/kg</bdi></a> <span class=\"vt\">Screening</span> <span class=\"ms\">ammonium nitrate extract</span> <bdi class=\"cond\">pH ≤ 5.5</bdi>"), "{deu}");
    assert!(deu.contains("0.10 mg/kg</bdi></a> <span class=\"vt\">Screening</span> <span class=\"ms\">extraction not stated</span> <bdi class=\"cond\">pH &gt; 5.5</bdi>"), "{deu}");
    assert!(cell(m, "DEU", "residential").contains("class=\"empty\""));

    // The other contaminant's page: its one value, none of cadmium's.
    let evil = site.read("public/thresholds/contaminants/evil.html");
    let m = matrix(&evil);
    assert_eq!(m.matches("<li data-r=").count(), 1, "{m}");
    assert!(m.contains("no value</bdi>"), "{m}");
    assert!(!m.contains("DEU"), "Germany has no value here: {m}");
    assert!(evil.contains("No values for: Residential."), "{evil}");
}

#[test]
fn the_map_colours_the_jurisdictions_with_values_and_no_others() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let cd = site.read("public/thresholds/contaminants/cd.html");
    let m = map(&cd);
    assert_eq!(
        coloured(m),
        [
            ("map-has".into(), "DEU".into()),
            ("map-has".into(), "NLD".into())
        ]
    );
    assert!(m.contains("role=\"img\" aria-labelledby=\"coverage-map-title\""));
    assert!(
        m.contains("<title id=\"coverage-map-title\">Map: jurisdictions with threshold values for Cadmium</title>")
    );
    assert!(m.contains("<title>The Netherlands: 2 values</title>"));
    // The Netherlands is too small to see on a phone: a dot marks it.
    assert!(m.contains("<circle class=\"map-has\" data-dot=\"NLD\""));
    assert!(m.contains("Natural Earth 1:110m (public domain)"));
    // The enlarged view of Europe draws the same outlines, by reference within the page.
    assert!(m.contains("<g id=\"coverage-map-world\">"));
    assert!(m.contains("<use href=\"#coverage-map-world\"/>"));
    assert!(m.contains(">Europe</text>"));
    // Germany is in the database but has no value for the other contaminant.
    let evil = site.read("public/thresholds/contaminants/evil.html");
    let m = map(&evil);
    assert_eq!(
        coloured(m),
        [
            ("map-without".into(), "DEU".into()),
            ("map-has".into(), "NLD".into())
        ]
    );
    assert!(m.contains("<title>The Netherlands: 1 value</title>"));
    assert!(m.contains("<span class=\"swatch map-without\" aria-hidden=\"true\"></span>In the database, no values here</li>"));
    // The dataset page: every jurisdiction with values, above the coverage table.
    let dataset = site.read("public/thresholds/dataset.html");
    let m = map(&dataset);
    assert_eq!(
        coloured(m),
        [
            ("map-has".into(), "DEU".into()),
            ("map-has".into(), "NLD".into())
        ]
    );
    assert!(m.contains("<title>Germany: 2 values</title>"));
    assert!(
        dataset.find("coverage-map").unwrap() < dataset.find("<table class=\"coverage\"").unwrap()
    );
}

#[test]
fn data_in_the_matrix_and_map_is_escaped_and_nothing_is_fetched() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let evil = site.read("public/thresholds/contaminants/evil.html");
    let section = between(&evil, "<section class=\"comparison\"", "</section>");
    assert!(!section.contains("<script"), "{section}");
    assert!(section.contains(
        "<title id=\"coverage-map-title\">Map: jurisdictions with threshold values for &lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;</title>"
    ));
    assert!(section.contains("<caption id=\"matrix-caption\">&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;: values by jurisdiction and land use</caption>"));
    // Two national land uses in one class name themselves, escaped.
    let nld = site.read("data/thresholds/nld.yaml");
    site.write(
        "data/thresholds/nld.yaml",
        &nld.replace("class: residential", "class: agricultural"),
    );
    site.build_ok(&[]);
    let cd = site.read("public/thresholds/contaminants/cd.html");
    let m = matrix(&cd);
    assert!(
        m.contains("<bdi class=\"cond term\">wonen &lt;img src=x onerror=alert(1)&gt;</bdi>"),
        "{m}"
    );
    assert!(!m.contains("<img"), "{m}");
    let dataset = site.read("public/thresholds/dataset.html");
    for page in [&evil, &cd, &dataset] {
        let parts = [
            ("<figure class=\"coverage-map\">", "</figure>"),
            ("<table class=\"matrix\">", "</table>"),
        ];
        for (start, end) in parts.into_iter().filter(|(start, _)| page.contains(start)) {
            let part = between(page, start, end);
            // The SVG namespace is a name, not an address anything fetches.
            let without_ns = part.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
            for outside in [
                " src=\"",
                "href=\"http",
                "href=\"//",
                "url(",
                "<image",
                "<use href=\"h",
                "<use href=\".",
                "@import",
                "<script",
                "://",
            ] {
                assert!(!without_ns.contains(outside), "`{outside}` in {part}");
            }
        }
    }
}

#[test]
fn the_bundled_cadmium_page_shows_eu_members_and_every_jurisdiction_with_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let run = common::run_in(
        root,
        &[
            "build",
            "--no-cache",
            "--root",
            ".",
            "--output",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cd = std::fs::read_to_string(out.path().join("thresholds/contaminants/cd.html")).unwrap();
    let m = map(&cd);
    let coloured = coloured(m);
    let with: Vec<&str> = (coloured.iter())
        .filter(|(class, _)| class == "map-has" || class == "map-regional")
        .map(|(_, code)| code.as_str())
        .collect();
    // The jurisdictions of the matrix are the ones coloured, EU aside (no outline of its own).
    let rows: Vec<&str> = matrix(&cd)
        .split("<tr data-k=\"")
        .skip(1)
        .map(|r| &r[..3])
        .filter(|code| *code != "EUU")
        .collect();
    let mut rows_sorted = rows.clone();
    rows_sorted.sort();
    assert_eq!(with, rows_sorted);
    assert!(with.contains(&"TWN"), "Taiwan has its own outline");
    // The EU has cadmium values: member states without their own are lit lightly; Germany and
    // Italy keep their own colour.
    let eu: Vec<&str> = (coloured.iter())
        .filter(|(class, _)| class == "map-eu")
        .map(|(_, code)| code.as_str())
        .collect();
    for code in ["FRA", "ESP", "POL", "FIN"] {
        assert!(eu.contains(&code), "{code} in {eu:?}");
    }
    assert!(!eu.contains(&"DEU") && !eu.contains(&"ITA") && !eu.contains(&"NOR"));
    assert!(m.contains("EU member state: values of the European Union only"));
    // The Arabic page: the labels in Arabic, numbers left to right.
    let ar =
        std::fs::read_to_string(out.path().join("ar/thresholds/contaminants/cd.html")).unwrap();
    assert!(map(&ar).contains("لها قيم"));
    assert!(matrix(&ar).contains("<span class=\"ms\">الماء الملكي</span>"));
    assert!(
        matrix(&ar).contains("<bdi dir=\"ltr\">0.04 mg/kg</bdi>")
            || matrix(&ar).contains("<bdi dir=\"ltr\">0٫04 mg/kg</bdi>")
    );
}

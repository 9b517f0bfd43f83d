//! The threshold database as readers meet it: the explorer, contaminant and country pages, typed
//! links, embedded tables, downloads that equal what is shown, and data that cannot inject markup.

mod common;

use common::SiteTest;
use std::path::Path;

/// Value cells of a table, in order: the canonical value in `data-v`.
fn value_cells(html: &str) -> Vec<String> {
    html.split("data-v=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

fn rows(html: &str) -> usize {
    let table = &html[html.find("<table class=\"thresholds\"").expect("a table")..];
    let body = &table[table.find("<tbody>").expect("a table body")..];
    body[..body.find("</tbody>").unwrap()]
        .matches("<tr ")
        .count()
}

#[test]
fn contaminant_page_compares_countries_with_a_chart_and_a_table() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let page = site.read("public/thresholds/contaminants/cd.html");
    assert!(page.contains("<h1>Cadmium</h1>"));
    assert!(page.contains("7440-43-9"), "CAS number shown");
    // Link to the SOP that measures it, from the SOP's `analytes`.
    assert!(page.contains("href=\"../../sops/cadmium.html\""), "{page}");
    // The chart: inline SVG with a title and a description, no script.
    let svg = &page[page.find("<svg class=\"chart\"").expect("an inline chart")..];
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title id=\"chart-title\">Cadmium: threshold values"));
    assert!(svg.contains("<desc id=\"chart-desc\">"));
    // The ammonium-nitrate value is on another scale: in the table, not in the chart.
    assert!(svg.contains("1 values measured in a partial extract or in crops are not drawn"));
    // The table: national term beside the class, canonical unit, the unit as given.
    assert_eq!(rows(&page), 4);
    assert!(page.contains("Intervention<span class=\"term\">interventiewaarde</span>"));
    assert!(page.contains("><bdi dir=\"ltr\">13 mg/kg</bdi></td>"));
    assert!(
        page.contains(">0.3 mg/kg (300 µg/kg as given)</bdi></td>"),
        "µg/kg converted"
    );
    assert!(
        page.contains("><bdi dir=\"ltr\">0.10 mg/kg</bdi></td>"),
        "the number as the source wrote it"
    );
    assert!(page.contains("5.5 &lt; pH ≤") || page.contains("pH &gt; 5.5"));
    // Source tier visible on every row.
    assert_eq!(page.matches("class=\"tier tier-").count(), 4);
    assert!(page.contains("tier-secondary"));
    // The Dutch instrument is dated: its rows say so.
    let table = &page[page.find("<table class=\"thresholds\"").unwrap()..];
    assert_eq!(
        table.matches("<span class=\"flag\">dated</span>").count(),
        2
    );
}

#[test]
fn country_page_lists_instruments_sources_and_status() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let page = site.read("public/thresholds/countries/nld.html");
    assert!(
        page.contains("<h1>The Netherlands</h1>"),
        "the ISO table's name when none is given"
    );
    assert!(page.contains("id=\"instrument-circular\""));
    assert!(page.contains("Replaced in 2024; values not re-checked."));
    assert!(page.contains(">dated</dd>"));
    assert!(page.contains("<a href=\"https://example.org/wetten\">"));
    assert!(
        page.contains("<strong>standard soil</strong>"),
        "notes are Markdown"
    );
    assert_eq!(rows(&page), 3);
    assert!(page.contains("><bdi dir=\"ltr\">no value</bdi></td>"));
}

#[test]
fn data_from_yaml_is_escaped_everywhere() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    for page in [
        "public/thresholds/index.html",
        "public/thresholds/contaminants/evil.html",
        "public/thresholds/contaminants/cd.html",
        "public/thresholds/countries/nld.html",
        "public/thresholds/contaminants/index.html",
    ] {
        let html = site.read(page);
        assert!(
            !html.contains("<script>alert"),
            "{page} runs injected script"
        );
        assert!(!html.contains("<img src=x"), "{page} has an injected image");
        assert!(!html.contains("<b>2013</b>"), "{page} has injected markup");
    }
    let evil = site.read("public/thresholds/contaminants/evil.html");
    assert!(
        evil.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;")
            || evil.contains("&lt;script&gt;alert(")
    );
    // In the tables written in Rust, each cell as the escaping writer writes it: a contaminant's
    // name, a record's note, an instrument's title.
    let nld = site.read("public/thresholds/countries/nld.html");
    for cell in [
        "<a href=\"../contaminants/evil.html#nld-1\">&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;</a></td>",
        "<span class=\"note\">&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;</span>",
        ">Circular &lt;b&gt;2013&lt;/b&gt;</a>",
    ] {
        assert!(nld.contains(cell), "the NLD table has no `{cell}`");
    }
}

#[test]
fn typed_links_and_thresholds_blocks_resolve_to_data_pages() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"thresholds/contaminants/cd.html\">cadmium</a>"));
    assert!(home.contains("href=\"thresholds/countries/nld.html\">the Netherlands</a>"));
    assert!(home.contains("href=\"thresholds/countries/deu.html#instruments\""));
    // The block shows cadmium on agricultural land only: 3 of the 5 records.
    let table = &home[home
        .find("<table class=\"thresholds\">")
        .expect("embedded table")..];
    assert_eq!(rows(table), 3);
    assert!(
        !table.contains("<th scope=\"col\" data-col=\"0\">Contaminant</th>"),
        "one contaminant: no column for it"
    );
    assert!(table.contains("BBodSchV (2021)"), "short instrument name");
}

#[test]
fn downloads_equal_the_explorer_table() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    check_downloads_match_explorer(&site.path().join("public"), 5);
}

#[test]
fn bundled_database_builds_with_every_sourced_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let run = common::run_in(
        root,
        &[
            "build",
            "--root",
            ".",
            "--output",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("1009 data records") || run.stdout.contains("1009 data records"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let public = out.path();
    check_downloads_match_explorer(public, 1009);
    let nld = std::fs::read_to_string(public.join("thresholds/countries/nld.html")).unwrap();
    assert!(nld.contains("interventiewaarde"), "national term kept");
    let cd = std::fs::read_to_string(public.join("thresholds/contaminants/cd.html")).unwrap();
    assert!(cd.contains("<svg class=\"chart\""));
    // Every contaminant and country has its page.
    let contaminants = std::fs::read_dir(public.join("thresholds/contaminants"))
        .unwrap()
        .count();
    assert_eq!(contaminants, 99 + 1, "99 contaminants and the list");
    let countries = std::fs::read_dir(public.join("thresholds/countries"))
        .unwrap()
        .count();
    assert_eq!(countries, 14 + 1);
}

/// The CSV and JSON hold the explorer's rows, in its order, with its values, and every JSON
/// record satisfies the published schema.
fn check_downloads_match_explorer(public: &Path, expected: usize) {
    let explorer = std::fs::read_to_string(public.join("thresholds/index.html")).unwrap();
    let shown = value_cells(&explorer);
    assert_eq!(shown.len(), expected);

    let csv = std::fs::read_to_string(public.join("thresholds/thresholds.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "value_mg_per_kg").unwrap();
    let csv_values: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[col].to_string())
        .collect();
    assert_eq!(csv_values.len(), expected);
    for (i, (a, b)) in shown.iter().zip(&csv_values).enumerate() {
        let same = match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => a.is_empty() && b.is_empty(),
        };
        assert!(same, "row {i}: page shows {a:?}, CSV has {b:?}");
    }

    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("thresholds/thresholds.json")).unwrap(),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("thresholds/thresholds.schema.json")).unwrap(),
    )
    .unwrap();
    let records = json["records"].as_array().unwrap();
    assert_eq!(records.len(), expected);
    let record_schema = &schema["$defs"]["record"];
    let properties = record_schema["properties"].as_object().unwrap();
    let required: Vec<&str> = record_schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (i, record) in records.iter().enumerate() {
        let object = record.as_object().unwrap();
        for key in &required {
            assert!(object.contains_key(*key), "record {i} lacks {key}");
        }
        for (key, value) in object {
            let rule = properties
                .get(key)
                .unwrap_or_else(|| panic!("record {i}: {key} is not in the schema"));
            assert!(
                satisfies(rule, value),
                "record {i}: {key} = {value} breaks {rule}"
            );
        }
        let from_json = record["value_mg_per_kg"].as_f64();
        assert_eq!(from_json, shown[i].parse::<f64>().ok(), "record {i}");
    }
}

/// The subset of JSON Schema the published schema uses: `type` (one or a list) and `enum`.
fn satisfies(rule: &serde_json::Value, value: &serde_json::Value) -> bool {
    if let Some(options) = rule.get("enum").and_then(|e| e.as_array()) {
        return options.contains(value);
    }
    let types: Vec<&str> = match &rule["type"] {
        serde_json::Value::String(t) => vec![t.as_str()],
        serde_json::Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => return true,
    };
    types.iter().any(|t| match *t {
        "string" => value.is_string(),
        "number" => value
            .as_f64()
            .is_some_and(|v| v >= rule["minimum"].as_f64().unwrap_or(f64::MIN)),
        "null" => value.is_null(),
        _ => false,
    })
}

/// The dataset page gives a reference naming the edition and date, says that no licence has
/// been decided until `pedon.toml` names one, and counts each jurisdiction's values by where they
/// were read; `datapackage.json` describes exactly the CSV's columns.
#[test]
fn the_dataset_page_is_citable_and_the_data_package_describes_the_csv() {
    let site = SiteTest::from_fixture("data-site");
    let config = site.read("pedon.toml");
    site.write("pedon.toml", &format!("{config}version = \"2026.2\"\n"));
    // 2025-12-03 in UTC.
    let run = common::run_in_env(
        site.path(),
        &["build"],
        &[("SOURCE_DATE_EPOCH", "1764720000")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/thresholds/dataset.html");
    assert!(
        page.contains(
            "Data fixture (2025). Global database of soil-pollutant threshold values, version 2026.2 (2025-12-03). https://example.org/sub/thresholds/dataset.html"
        ),
        "{page}"
    );
    assert!(page.contains("version = {2026.2}"), "BibTeX: {page}");
    assert!(page.contains("No licence has been decided yet"), "{page}");
    // Germany: 2 values, Netherlands: 3, as in the fixture's files.
    let coverage = &page[page.find("<table class=\"coverage\"").unwrap()..];
    let germany = &coverage[coverage.find(">Germany<").unwrap()..];
    assert!(
        germany.starts_with(
            ">Germany</a> <span class=\"code\">DEU</span></th><td class=\"num\">2</td>"
        ),
        "{germany}"
    );

    let package: serde_json::Value =
        serde_json::from_str(&site.read("public/thresholds/datapackage.json")).unwrap();
    let csv = site.read("public/thresholds/thresholds.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let fields: Vec<&str> = package["resources"][0]["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, header, "datapackage.json lists the CSV's columns");
    assert_eq!(package["version"], "2026.2");
    assert!(package.get("licenses").is_none(), "no licence claimed");

    // Once INSOP decides, the licence is in the page and the package.
    site.write(
        "pedon.toml",
        &format!("{config}version = \"2026.2\"\nlicence = \"CC-BY-4.0\"\n"),
    );
    site.build_ok(&[]);
    let page = site.read("public/thresholds/dataset.html");
    assert!(page.contains("<dd>CC-BY-4.0</dd>"), "{page}");
    assert!(page.contains("note = {Licence: CC-BY-4.0}"), "{page}");
    let package: serde_json::Value =
        serde_json::from_str(&site.read("public/thresholds/datapackage.json")).unwrap();
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
}

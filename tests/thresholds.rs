//! The threshold database as readers meet it: the explorer, contaminant and country pages, typed
//! links, embedded tables, downloads that equal what is shown, and data that cannot inject markup.

mod common;

use common::SiteTest;
use std::path::Path;

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
    // The chart: HTML drawn at build time with a title and a description, no script.
    let chart = &page[page.find("<div class=\"dotplot\"").expect("a chart")..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    assert!(chart.contains("aria-labelledby=\"chart-title\""));
    assert!(chart.contains("id=\"chart-title\">Cadmium: threshold values"));
    assert!(chart.contains("id=\"chart-desc\">"));
    // The ammonium-nitrate value is on another scale: its own panel, never the same axis.
    assert!(
        chart.contains("<h2 id=\"chart-ammonium_nitrate\">ammonium nitrate extract</h2>"),
        "{chart}"
    );
    // Every mark is a link to its row, which the table has.
    let marks: Vec<&str> = chart
        .split("<a class=\"mark ")
        .skip(1)
        .map(|m| {
            let href = &m[m.find("href=\"#").unwrap() + 7..];
            &href[..href.find('"').unwrap()]
        })
        .collect();
    assert_eq!(marks.len(), 4, "{chart}");
    for anchor in marks {
        assert!(
            page.contains(&format!("id=\"{anchor}\"")),
            "no row #{anchor}"
        );
    }
    // The table: national term beside the class, canonical unit, the unit as given.
    assert_eq!(rows(&page), 4);
    assert!(page.contains("Intervention<bdi class=\"term\">interventiewaarde</bdi>"));
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
    // A value with no number is not on the chart: it is listed, visibly, under it.
    let evil = site.read("public/thresholds/contaminants/evil.html");
    let not_drawn = &evil[evil
        .find("<div class=\"not-drawn\">")
        .expect("a list of values not drawn")..];
    // It links to its row in the table, by the record's id.
    let href = not_drawn
        .split("href=\"#")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the row");
    assert!(href.starts_with("nld-evil-"), "{not_drawn}");
    assert!(evil.contains(&format!("id=\"{href}\"")), "no row {href}");
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
    let evil_id = &csv_column(&site.read("public/thresholds/thresholds.csv"), "record_id")
        .into_iter()
        .find(|id| id.starts_with("nld-evil-"))
        .expect("the evil record's id");
    for cell in [
        &format!(
            "<a href=\"../contaminants/evil.html#{evil_id}\">&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;</a></td>"
        ),
        "<bdi class=\"note\">&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;</bdi>",
        ">Circular &lt;b&gt;2013&lt;/b&gt;</bdi></a>",
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
            "--no-cache",
            "--root",
            ".",
            "--output",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("1729 data records") || run.stdout.contains("1729 data records"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let public = out.path();
    check_downloads_match_explorer(public, 1729);
    check_csv_has_every_committed_value(root, public);
    let nld = std::fs::read_to_string(public.join("thresholds/countries/nld.html")).unwrap();
    assert!(nld.contains("interventiewaarde"), "national term kept");
    let cd = std::fs::read_to_string(public.join("thresholds/contaminants/cd.html")).unwrap();
    assert!(cd.contains("<div class=\"dotplot\""));
    // Equal values in a row are stacked, not drawn over each other.
    assert!(
        cd.contains(";--lane:1\""),
        "no stacked mark on the cadmium chart"
    );
    explorer_first_view_is_light(public);
    // Every contaminant and country has its page.
    let contaminants = std::fs::read_dir(public.join("thresholds/contaminants"))
        .unwrap()
        .count();
    assert_eq!(contaminants, 136 + 1, "136 contaminants and the list");
    let countries = std::fs::read_dir(public.join("thresholds/countries"))
        .unwrap()
        .count();
    assert_eq!(countries, 24 + 1);

    // A regional instrument says where it applies wherever its country is shown: in the country
    // column of a contaminant page, and on its country's page (instrument and rows).
    let cd = std::fs::read_to_string(public.join("thresholds/contaminants/cd.html")).unwrap();
    for (country, region) in [
        ("bel", "Belgium (Vlaams Gewest)"),
        ("can", "Canada (Quebec)"),
        ("bra", "Brazil (Minas Gerais)"),
    ] {
        let cell = format!("<td data-label=\"Jurisdiction\" class=\"who\"><a href=\"../countries/{country}.html\">{region}</a></td>")
            .replace(" (", " (<bdi>")
            .replace(")<", "</bdi>)<");
        assert!(cd.contains(&cell), "cadmium page lacks {cell}");
    }
    assert!(
        cd.contains("class=\"who\"><a href=\"../countries/can.html\">Canada</a></td>"),
        "the national CCME values stay Canada's"
    );
    let can = std::fs::read_to_string(public.join("thresholds/countries/can.html")).unwrap();
    assert!(can.contains("<dt>Region</dt><dd><bdi>Quebec (CA-QC)</bdi></dd>"));
    assert_eq!(
        can.matches("<dt>Region</dt>").count(),
        1,
        "CCME is national"
    );
    assert_eq!(
        can.matches(
            "<bdi class=\"region\">Quebec</bdi> <a href=\"can.html#instrument-rprt-q-2-r-37\">"
        )
        .count(),
        20,
        "each Québec row names its region"
    );
    // Labels the data model writes come in the page's language, and each condition phrase is
    // isolated so a band keeps its order in Arabic.
    let cd_ar = std::fs::read_to_string(public.join("ar/thresholds/contaminants/cd.html")).unwrap();
    assert!(
        cd_ar.contains("<bdi>الماء الملكي</bdi>"),
        "aqua regia in Arabic"
    );
    assert!(!cd_ar.contains(">aqua regia<"));
    assert!(cd_ar.contains("<bdi dir=\"ltr\">5.5 &lt; pH ≤ 6.5</bdi>"));
    assert!(cd_ar.contains("<span class=\"flag\">قديم</span>"));
    let vnm_fr = std::fs::read_to_string(public.join("fr/thresholds/countries/vnm.html")).unwrap();
    assert!(vnm_fr.contains(">en vigueur</dd>") && vnm_fr.contains(">remplacé</dd>"));
    assert!(vnm_fr.contains("<span class=\"tier tier-secondary\">secondaire</span>"));
    let arabic = std::fs::read_to_string(public.join("ar/thresholds/countries/bel.html")).unwrap();
    assert!(arabic.contains("<bdi class=\"region\">منطقة فلاندرز</bdi>"));
    let cd_fr = std::fs::read_to_string(public.join("fr/thresholds/contaminants/cd.html")).unwrap();
    assert!(cd_fr.contains(">Belgique (<bdi>Région flamande</bdi>)</a></td>"));
}

/// The values per jurisdiction of the research reference table (`thresholds.csv`, 1,729 rows,
/// counted when it was imported): the site's CSV must have as many rows for each.
const REFERENCE_ROWS: [(&str, usize); 24] = [
    ("ARG", 93),
    ("AUS", 155),
    ("BEL", 115),
    ("BRA", 82),
    ("CAN", 83),
    ("CHN", 207),
    ("CRI", 66),
    ("CZE", 57),
    ("DEU", 125),
    ("ESP", 137),
    ("EUU", 13),
    ("FIN", 1),
    ("GBR", 2),
    ("ITA", 54),
    ("JPN", 12),
    ("KOR", 87),
    ("NLD", 138),
    ("NOR", 66),
    ("SVK", 33),
    ("SWE", 1),
    ("THA", 24),
    ("TWN", 44),
    ("USA", 50),
    ("VNM", 84),
];

/// One column of a CSV download, in row order.
fn csv_column(csv: &str, name: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let col = (reader.headers().unwrap().iter())
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    reader
        .records()
        .map(|r| r.unwrap()[col].to_string())
        .collect()
}

/// The CSV download has one row per value of the committed data files, read here on their own
/// (not through Pedon), each with its instrument's source address; and as many rows per
/// jurisdiction as the reference table had.
fn check_csv_has_every_committed_value(root: &Path, public: &Path) {
    use std::collections::BTreeMap;
    let csv = std::fs::read_to_string(public.join("thresholds/thresholds.csv")).unwrap();
    let ids = csv_column(&csv, "record_id");
    assert_eq!(
        ids.iter().collect::<std::collections::HashSet<_>>().len(),
        ids.len(),
        "record ids are unique"
    );
    // (country, instrument title, contaminant id, value, source url) of each row; the value as
    // a number (YAML reads `0.40` as 0.4, the CSV keeps the source's `0.40`).
    let key = |c: &str, i: &str, k: &str, v: &str, u: &str| {
        let v = v.parse::<f64>().map_or(v.to_string(), |n| n.to_string());
        [c, i, k, &v, u].map(str::to_string)
    };
    let mut in_csv: Vec<[String; 5]> = {
        let column = |n| csv_column(&csv, n);
        let (c, i, k, v, u) = (
            column("country_code"),
            column("instrument"),
            column("contaminant_id"),
            column("value_as_given"),
            column("source_url"),
        );
        (0..c.len())
            .map(|n| key(&c[n], &i[n], &k[n], &v[n], &u[n]))
            .collect()
    };
    let mut per_country: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_files = Vec::new();
    for entry in std::fs::read_dir(root.join("data/thresholds")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let file: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let country = file["country"].as_str().unwrap();
        for inst in file["instruments"].as_sequence().unwrap() {
            let sources = inst["sources"].as_sequence().unwrap();
            for v in inst["values"].as_sequence().unwrap() {
                let source = match v["source"].as_str() {
                    Some(id) => sources
                        .iter()
                        .find(|s| s["id"].as_str() == Some(id))
                        .unwrap(),
                    None => &sources[0],
                };
                let value = match &v["value"] {
                    serde_yaml::Value::String(s) if s == "none" => String::new(),
                    serde_yaml::Value::String(s) => s.clone(),
                    serde_yaml::Value::Number(n) => n.to_string(),
                    other => panic!("value {other:?}"),
                };
                in_files.push(key(
                    country,
                    inst["title"].as_str().unwrap(),
                    v["contaminant"].as_str().unwrap(),
                    &value,
                    source["url"].as_str().unwrap_or_default(),
                ));
                *per_country.entry(country.to_string()).or_default() += 1;
            }
        }
    }
    in_csv.sort();
    in_files.sort();
    assert_eq!(in_csv.len(), 1729);
    for (a, b) in in_csv.iter().zip(&in_files) {
        assert_eq!(a, b, "a row of the CSV differs from the data files");
    }
    assert_eq!(in_csv, in_files);
    let expected: BTreeMap<String, usize> = REFERENCE_ROWS
        .iter()
        .map(|(c, n)| (c.to_string(), *n))
        .collect();
    assert_eq!(per_country, expected);
    let mut csv_per_country: BTreeMap<String, usize> = BTreeMap::new();
    for c in csv_column(&csv, "country_code") {
        *csv_per_country.entry(c).or_default() += 1;
    }
    assert_eq!(csv_per_country, expected);
    // Every source in the reference had an address except one transcription (6 Norwegian rows).
    let urls = csv_column(&csv, "source_url");
    assert_eq!(urls.iter().filter(|u| u.is_empty()).count(), 6);
    assert!(
        (urls.iter().filter(|u| !u.is_empty()))
            .all(|u| u.starts_with("https://") || u.starts_with("http://"))
    );
}

#[test]
fn record_ids_stay_the_same_when_a_row_is_added() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let csv = site.read("public/thresholds/thresholds.csv");
    let before: Vec<(String, String)> = csv_column(&csv, "record_id")
        .into_iter()
        .zip(csv_column(&csv, "value_as_given"))
        .collect();
    assert_eq!(before.len(), 5);
    let cd = site.read("public/thresholds/contaminants/cd.html");
    for (id, _) in before.iter().filter(|(id, _)| id.contains("-cd-")) {
        assert!(cd.contains(&format!(" id=\"{id}\">")), "row anchor {id}");
    }
    // A new first value in the Dutch file: it sorts before the others, in the file and in the
    // tables, and every earlier record keeps its id and value.
    let nld = site.read("data/thresholds/nld.yaml");
    let first = "      - { contaminant: cd, land_use: all";
    let at = nld.find(first).unwrap();
    site.write(
        "data/thresholds/nld.yaml",
        &format!(
            "{}      - {{ contaminant: cd, land_use: all, value_type: iw, value: 1, unit: mg/kg, source: wetten, scope: \"a case added later\" }}\n{}",
            &nld[..at],
            &nld[at..]
        ),
    );
    site.build_ok(&[]);
    let csv = site.read("public/thresholds/thresholds.csv");
    let after: Vec<(String, String)> = csv_column(&csv, "record_id")
        .into_iter()
        .zip(csv_column(&csv, "value_as_given"))
        .collect();
    assert_eq!(after.len(), 6);
    for row in &before {
        assert!(after.contains(row), "{row:?} changed: {after:?}");
    }
    let cd = site.read("public/thresholds/contaminants/cd.html");
    for (id, _) in before.iter().filter(|(id, _)| id.contains("-cd-")) {
        assert!(
            cd.contains(&format!(" id=\"{id}\">")),
            "row anchor {id} lost"
        );
    }
}

#[test]
fn a_subdivision_of_another_country_is_a_located_error() {
    let site = SiteTest::from_fixture("data-site");
    let nld = site.read("data/thresholds/nld.yaml");
    site.write(
        "data/thresholds/nld.yaml",
        &nld.replace(
            "    year: \"2013\"\n",
            "    year: \"2013\"\n    subdivision: BE-VLG\n",
        ),
    );
    let run = site.run(&["check", "--root", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "subdivision `BE-VLG` (Vlaams Gewest) belongs to Belgium, not to `NLD`\n  --> data/thresholds/nld.yaml:8:18\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not a subdivision of The Netherlands"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("starts with `NL-`"), "{}", run.stderr);
    // A code that is no subdivision at all.
    site.write(
        "data/thresholds/nld.yaml",
        &nld.replace(
            "    year: \"2013\"\n",
            "    year: \"2013\"\n    subdivision: NL-XX\n",
        ),
    );
    let run = site.run(&["check", "--root", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "`NL-XX` is not an ISO 3166-2 subdivision code\n  --> data/thresholds/nld.yaml:8:18\n"
        ),
        "{}",
        run.stderr
    );
}

/// The explorer's records (what its script shows), in its order.
fn explorer_records(public: &Path) -> Vec<serde_json::Value> {
    let js = std::fs::read_to_string(public.join("thresholds/records.js")).unwrap();
    let json = js
        .strip_prefix("window.PEDON_EXPLORER=")
        .and_then(|j| j.trim_end().strip_suffix(';'))
        .expect("records.js sets window.PEDON_EXPLORER");
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    data["r"].as_array().unwrap().clone()
}

/// The CSV and JSON hold the explorer's rows, in its order, with its values, and every JSON
/// record satisfies the published schema.
fn check_downloads_match_explorer(public: &Path, expected: usize) {
    let shown: Vec<String> = explorer_records(public)
        .iter()
        .map(|r| r[7].as_f64().map(|v| v.to_string()).unwrap_or_default())
        .collect();
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

/// Gzip level 9, as a static host would serve it.
fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap().len()
}

/// The explorer's first view (its HTML, the records file and the page's styles and scripts)
/// stays within 60 KiB compressed, and its HTML holds no row: the script renders a page of rows.
/// Prints the figures, which the issue's budget is measured by.
fn explorer_first_view_is_light(public: &Path) {
    let mut total = 0;
    for file in [
        "thresholds/index.html",
        "thresholds/records.js",
        "thresholds.js",
        "style.css",
        "pedon.js",
        "search.js",
    ] {
        let bytes = std::fs::read(public.join(file)).unwrap();
        let gz = gzipped(&bytes);
        eprintln!("{file}: {} bytes, {gz} gzipped", bytes.len());
        total += gz;
    }
    eprintln!("explorer first view: {total} bytes gzipped");
    assert!(total <= 60 * 1024, "first view is {total} bytes gzipped");
    let html = std::fs::read_to_string(public.join("thresholds/index.html")).unwrap();
    assert!(!html.contains("<tr"), "the explorer's HTML holds rows");
    assert!(html.contains("<script src=\"records.js\"></script>"));
    let ar = std::fs::read_to_string(public.join("ar/thresholds/records.js")).unwrap();
    assert!(
        ar.contains("\"lang\":\"ar\""),
        "each language has its records file"
    );
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

/// With the previous release's published JSON under `data/releases/`, the dataset page lists the
/// records added, changed and removed since, by record id; a release file that is not JSON is a
/// located error.
#[test]
fn the_dataset_page_lists_what_changed_since_the_previous_release() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let page = site.read("public/thresholds/dataset.html");
    assert!(
        page.contains("No earlier release is kept to compare with"),
        "{page}"
    );
    // Release 2026.1 is what the site published; then an editor corrects one value, removes
    // the Dutch cadmium value for all land and adds a German one.
    site.write(
        "data/releases/2026.1.json",
        &site.read("public/thresholds/thresholds.json"),
    );
    let nld = site.read("data/thresholds/nld.yaml");
    site.write(
        "data/thresholds/nld.yaml",
        &nld.replace(
            "      - { contaminant: cd, land_use: all, value_type: iw, value: 13, unit: mg/kg, source: wetten }\n",
            "",
        )
        .replace("value: 300, unit: µg/kg", "value: 350, unit: µg/kg"),
    );
    let deu = site.read("data/thresholds/deu.yaml");
    site.write(
        "data/thresholds/deu.yaml",
        &format!(
            "{deu}      - {{ contaminant: cd, land_use: acker, value_type: pw, value: 0.2, unit: mg/kg, extraction: aqua_regia }}\n"
        ),
    );
    site.build_ok(&[]);
    let page = site.read("public/thresholds/dataset.html");
    assert!(
        page.contains("Since release 2026.1: 1 values added, 1 changed, 1 removed"),
        "{page}"
    );
    let changed = &page[page.find("Changed (1)").expect("a list of changed values")..];
    assert!(
        changed.contains("<bdi dir=\"ltr\">300 µg/kg</bdi> → <bdi dir=\"ltr\">350 µg/kg</bdi>"),
        "{changed}"
    );
    let removed = &page[page.find("Removed (1)").expect("a list of removed values")..];
    assert!(
        removed.contains("<bdi dir=\"ltr\">13 mg/kg</bdi> <code>nld-cd-"),
        "{removed}"
    );
    let added = &page[page.find("Added (1)").expect("a list of added values")..];
    assert!(
        added.contains(
            "<bdi dir=\"ltr\">0.2 mg/kg</bdi> <code><a href=\"contaminants/cd.html#deu-cd-"
        ),
        "{added}"
    );

    site.write("data/releases/2026.2.json", "{ \"records\": [ }\n");
    let run = site.run(&["check", "--message-format", "short"]);
    assert!(
        run.stderr.contains("data/releases/2026.2.json:1:16: error[E0501]: the release file `data/releases/2026.2.json` cannot be read: expected value (help: put here"),
        "{}",
        run.stderr
    );
}

//! What a reader's browser does with the built site: headless Chromium (the system's `chromium`,
//! flags as the guide prescribes) loads pages from a real static server on 127.0.0.1 and a
//! small harness page reports, as JSON in its own DOM, what the page's scripts did.

mod common;

use common::SiteTest;
use common::tools::{Tool, available, one_browser_at_a_time};
use serde_json::json;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `python3 -m http.server` on a free loopback port, serving `dir`; killed on drop.
struct StaticServer {
    child: Child,
    port: u16,
}

impl StaticServer {
    fn start(dir: &Path) -> StaticServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(Tool::Python3.path())
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 for the static server (scripts/test.sh installs it)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "static server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        StaticServer { child, port }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium() -> String {
    Tool::Chromium.path().display().to_string()
}

/// Loads `url` in headless Chromium and returns the DOM after its scripts ran.
fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); scripts/test.sh installs Chromium",
                chromium()
            )
        });
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The JSON a harness page wrote into `<pre id="out">`.
fn harness_result(dom: &str) -> serde_json::Value {
    let start = dom.find("<pre id=\"out\">").expect("harness output") + "<pre id=\"out\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

// ---- The threshold explorer, contaminant and country pages ----------------------------------

/// Where the screenshots of these tests go, to look at: `target/screenshots/`.
fn screenshot_dir() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where the first visible row of the page's first threshold table is, once scrolled into view:
/// its identifying cell and its value cell, against the viewport, and how far the page scrolls
/// sideways.
const FIRST_ROW: &str = r##"
var row = [].slice.call(document.querySelectorAll("table.thresholds tbody tr"))
  .find(function (r) { return r.getClientRects().length; });
if (!row) return null;
row.scrollIntoView({ block: "center" });
var rect = function (e) { var b = e.getBoundingClientRect(); return { left: b.left, right: b.right, top: b.top, bottom: b.bottom }; };
return {
  value: rect(row.querySelector("td.num")),
  first: rect(row.cells[0]),
  text: row.querySelector("td.num").textContent,
  width: window.innerWidth,
  height: window.innerHeight,
  sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  elements: document.getElementsByTagName("*").length
};
"##;

#[test]
fn the_value_of_the_first_row_is_in_view_at_360_and_1280_px_in_english_and_arabic() {
    if !available(
        "browser::the_value_of_the_first_row_is_in_view_at_360_and_1280_px_in_english_and_arabic",
        &[Tool::Chromium, Tool::Chromedriver, Tool::Python3],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let (tmp, _out) = bundled_site_under_sub_path();
    let server = StaticServer::start(&tmp.path().join("root"));
    let browser = common::webdriver::Browser::start();
    let shots = screenshot_dir();
    for lang in ["", "ar/"] {
        for (kind, path) in [
            ("explorer", "thresholds/index.html?c=cd"),
            ("contaminant", "thresholds/contaminants/cd.html"),
            ("country", "thresholds/countries/deu.html"),
        ] {
            for width in [360, 1280] {
                browser.set_size(width, 900);
                let url = format!("http://127.0.0.1:{}/insop/manual/{lang}{path}", server.port);
                browser.goto(&url);
                let at = browser.wait_for(
                    &format!("(function () {{ {FIRST_ROW} }})()"),
                    Duration::from_secs(20),
                );
                let name = format!("{kind}-{}{width}.png", lang.replace('/', "-"));
                std::fs::write(shots.join(&name), browser.screenshot()).unwrap();
                let inside = |cell: &serde_json::Value| {
                    cell["left"].as_f64().unwrap() >= 0.0
                        && cell["right"].as_f64().unwrap() <= at["width"].as_f64().unwrap()
                        && cell["top"].as_f64().unwrap() >= 0.0
                        && cell["bottom"].as_f64().unwrap() <= at["height"].as_f64().unwrap()
                };
                assert!(
                    inside(&at["value"]),
                    "{url} at {width} px: the value {} is outside the viewport: {at}",
                    at["text"]
                );
                assert!(
                    inside(&at["first"]),
                    "{url} at {width} px: what the row is about is outside the viewport: {at}"
                );
                assert!(
                    at["sideways"].as_i64().unwrap() <= 0,
                    "{url} at {width} px scrolls sideways: {at}"
                );
                if kind == "contaminant" {
                    // A chart's mark takes the focus and shows its details, on the screen.
                    let tip = browser.eval(
                        "var m = document.querySelector('.dotplot a.mark'); m.focus();\
                         var t = m.querySelector('.tip').getBoundingClientRect();\
                         return { focused: document.activeElement === m, text: m.textContent,\
                           left: t.left, right: t.right, w: t.width, width: innerWidth };",
                    );
                    assert_eq!(tip["focused"], true, "{url}: {tip}");
                    assert!(
                        tip["w"].as_f64().unwrap() > 40.0
                            && tip["left"].as_f64().unwrap() >= 0.0
                            && tip["right"].as_f64().unwrap() <= tip["width"].as_f64().unwrap(),
                        "{url} at {width} px: the focused mark's details are not shown in view: {tip}"
                    );
                    let name = format!("chart-focus-{}{width}.png", lang.replace('/', "-"));
                    std::fs::write(shots.join(&name), browser.screenshot()).unwrap();
                }
                if kind == "explorer" {
                    assert!(
                        at["elements"].as_u64().unwrap() <= 1500,
                        "{url}: {} elements before interaction",
                        at["elements"]
                    );
                }
            }
        }
    }
}

/// What the explorer shows, read in the page: the shown rows' record ids, the facet counts text,
/// and which of them are for all land.
const SHOWN: &str = r##"
var D = window.PEDON_EXPLORER;
var rows = [].slice.call(document.querySelectorAll("#explorer tbody tr"));
return {
  ids: rows.map(function (r) { return r.querySelector("a").getAttribute("href").split("#")[1]; }),
  land_uses: rows.map(function (r) { return D.lu[D.r[+r.getAttribute("data-i")][3]][0]; }),
  count: document.querySelector("#explorer .filter-count").textContent,
  search: location.search,
  // Cadmium values for agricultural land or for all land, counted from the records themselves.
  expected: D.r.filter(function (r) {
    return D.c[r[1]][0] === "cd" && ["agricultural", "all_land"].indexOf(D.lu[r[3]][0]) >= 0;
  }).length
};
"##;

#[test]
fn explorer_facets_live_in_the_query_string_and_download_what_is_shown() {
    if !available(
        "browser::explorer_facets_live_in_the_query_string_and_download_what_is_shown",
        &[Tool::Chromium, Tool::Chromedriver, Tool::Python3],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let (tmp, _out) = bundled_site_under_sub_path();
    let server = StaticServer::start(&tmp.path().join("root"));
    let browser = common::webdriver::Browser::start();
    browser.set_size(1280, 900);
    let base = format!(
        "http://127.0.0.1:{}/insop/manual/thresholds/index.html",
        server.port
    );
    // Rows are in the page before the rest of it is parsed: a shared link's first paint shows
    // the filtered rows, never all of them. Recorded when the heading after the explorer arrives.
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": "new MutationObserver(function (ms, o) { var h = document.getElementById('reading'); \
            if (h) { window.rowsBeforeRest = document.querySelectorAll('#explorer tbody tr').length; o.disconnect(); } })\
            .observe(document, { childList: true, subtree: true });" }),
    );
    browser.goto(&format!("{base}?c=cd"));
    browser.wait_for(
        "document.readyState === 'complete'",
        Duration::from_secs(20),
    );
    let cd = browser.eval(SHOWN);
    let before = browser.eval("return window.rowsBeforeRest;");
    assert_eq!(
        before,
        json!(cd["ids"].as_array().unwrap().len()),
        "rows rendered before the rest of the page was parsed"
    );

    // Ticking "agricultural" in the land-use facet: the values for all land are counted too.
    browser.eval(
        "var d = document.querySelector('.facet[data-key=lu]'); d.open = true; d.dispatchEvent(new Event('toggle')); return true;",
    );
    browser.wait_for(
        "document.querySelector('.facet[data-key=lu] input')",
        Duration::from_secs(5),
    );
    browser.eval(
        "var i = [].slice.call(document.querySelectorAll('.facet[data-key=lu] label'))\
           .find(function (l) { return /Agricultural/.test(l.textContent); }).querySelector('input');\
         i.click(); return true;",
    );
    let agricultural = browser.eval(SHOWN);
    assert_eq!(
        agricultural["search"], "?c=cd&lu=agricultural",
        "{agricultural}"
    );
    let ids = agricultural["ids"].as_array().unwrap();
    assert_eq!(
        ids.len() as u64,
        agricultural["expected"].as_u64().unwrap(),
        "cadmium for agricultural land and for all land: {agricultural}"
    );
    let land_uses: Vec<&str> = (agricultural["land_uses"].as_array().unwrap().iter())
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(land_uses.contains(&"all_land"), "{land_uses:?}");
    assert!(land_uses.contains(&"agricultural"), "{land_uses:?}");
    assert!(
        land_uses
            .iter()
            .all(|l| ["agricultural", "all_land"].contains(l)),
        "{land_uses:?}"
    );

    // The state survives a reload: the same rows, from the query string alone.
    browser.eval("location.reload(); return true;");
    browser.wait_for(
        "document.readyState === 'complete' && document.querySelector('#explorer tbody tr')",
        Duration::from_secs(20),
    );
    let reloaded = browser.eval(SHOWN);
    assert_eq!(reloaded["ids"], agricultural["ids"]);
    assert_eq!(reloaded["count"], agricultural["count"]);

    // "Download what is shown": exactly the rows shown, in their order, as CSV and as JSON.
    let download = |format: &str| -> String {
        browser
            .eval_async(&format!(
                "var done = arguments[arguments.length - 1];\
                 URL.createObjectURL = function (blob) {{ blob.text().then(done); return 'about:blank'; }};\
                 HTMLAnchorElement.prototype.click = function () {{}};\
                 document.querySelector('.download-shown button[data-format={format}]').click();"
            ))
            .as_str()
            .unwrap()
            .to_string()
    };
    let csv = download("csv");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let col = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "record")
        .unwrap();
    let from_csv: Vec<serde_json::Value> = reader
        .records()
        .map(|r| json!(r.unwrap()[col].to_string()))
        .collect();
    assert_eq!(&from_csv, ids, "the CSV holds the rows shown");
    let json: serde_json::Value = serde_json::from_str(&download("json")).unwrap();
    let from_json: Vec<serde_json::Value> = (json["records"].as_array().unwrap().iter())
        .map(|r| r["record"].clone())
        .collect();
    assert_eq!(&from_json, ids, "the JSON holds the rows shown");
    assert!(
        json["records"][0]["value_mg_per_kg"].is_number(),
        "{}",
        json["records"][0]
    );
}

#[test]
fn explorer_without_javascript_links_to_every_value() {
    // Without the script the explorer holds no row: it says where every value is (the pages of
    // each contaminant and jurisdiction, and the downloads), and the records are beside it.
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let html = site.read("public/thresholds/index.html");
    assert!(html.contains("<noscript><p class=\"caveat\">The filterable table needs JavaScript."));
    assert!(html.contains("<a href=\"thresholds.csv\" download>CSV</a>"));
    assert!(html.contains("href=\"contaminants/index.html\""), "{html}");
    assert!(!html.contains("<tr"));
    let records = site.read("public/thresholds/records.js");
    let records: serde_json::Value = serde_json::from_str(
        records
            .trim()
            .trim_start_matches("window.PEDON_EXPLORER=")
            .trim_end_matches(';'),
    )
    .unwrap();
    assert_eq!(records["r"].as_array().unwrap().len(), 5);
}

// ---- Search -------------------------------------------------------------------------------

const SEARCH_HARNESS: &str = include_str!("harness/search.js");

/// Words whose terms the browser and the index must agree on: accents, case, plurals, numbers,
/// punctuation, stop words, and the scripts of the UN languages: Russian `ё`/`й`, Arabic marks,
/// letter forms, article and digits, Chinese pairs.
const WORDS: &[&str] = &[
    "Ёмкость йод ЙОДА",
    "والتُّرْبَة بالمياه مستوى ١٢٣ أإآ",
    "国际土壤污染网络（INSOP）镉",
    "Prüfwert",
    "Élément ÆTHER straße",
    "Countries values PAHs analysis humus shoes",
    "INSOP-SOP-03 7440-43-9",
    "the digestion of soil",
    "CaCl₂ ﬁeld",
];

/// The bundled site, built with its output at `<tmp>/root/insop/manual/`: served from `root`,
/// it lives under a sub-path as on a real host.
fn bundled_site_under_sub_path() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("root/insop/manual");
    let repo = env!("CARGO_MANIFEST_DIR");
    let run = common::run_in(
        Path::new(repo),
        &[
            "build",
            "--no-cache",
            "--root",
            repo,
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://example.org/insop/manual/",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(out.join("search-harness.js"), SEARCH_HARNESS).unwrap();
    (tmp, out)
}

fn js_list(items: &[&str]) -> String {
    serde_json::to_string(items).unwrap()
}

fn results(out: &serde_json::Value, query: &str) -> Vec<serde_json::Value> {
    out["queries"][query]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results for {query}: {out}"))
        .clone()
}

fn titles(out: &serde_json::Value, query: &str) -> Vec<String> {
    results(out, query)
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

/// A record result starts with its value and unit: `0.6 mg/kg · Background · All land`.
fn assert_value_first(result: &serde_json::Value) {
    let text = result["text"].as_str().unwrap();
    let value = text.split(" · ").next().unwrap();
    let number = value
        .strip_suffix(" mg/kg")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(number.replace(',', "").parse::<f64>().is_ok(), "{text}");
}

#[test]
fn search_finds_values_pages_and_headings_under_a_sub_path() {
    if !available(
        "browser::search_finds_values_pages_and_headings_under_a_sub_path",
        &[Tool::Chromium, Tool::Python3],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let (tmp, out_dir) = bundled_site_under_sub_path();
    let queries = [
        "cadmium netherlands agricultural",
        "cadm",
        "cadmuim",
        "aqua regia",
        "sampling",
        "prufwert",
        "countries",
        "camphechlor",
        "sop 3",
        "zzzqx",
    ];
    std::fs::write(
        out_dir.join("search-harness.html"),
        format!(
            "<!doctype html><meta charset=\"utf-8\">\
             <iframe id=\"site\" src=\"manual/index.html\" width=\"1200\" height=\"800\"></iframe>\
             <script>var QUERIES = {}; var FOLLOW = \"aqua regia digestion\"; var WORDS = {};</script>\
             <script src=\"search-harness.js\"></script>",
            js_list(&queries),
            js_list(WORDS)
        ),
    )
    .unwrap();
    let server = StaticServer::start(&tmp.path().join("root"));
    let dom = dump_dom(&format!(
        "http://127.0.0.1:{}/insop/manual/search-harness.html",
        server.port
    ));
    let out = harness_result(&dom);
    assert!(out["error"].is_null(), "{out}");

    // The box, and the keys that reach it.
    assert_eq!(out["shown"], true);
    assert_eq!(out["combobox"], "combobox search_results");
    assert_eq!(out["slash_focuses"], true, "/ focuses the search box");
    assert_eq!(out["ctrl_k_focuses"], true, "Ctrl-K focuses the search box");

    // A value, its unit and its source, for the question a reader asks.
    let cd_nl = results(&out, "cadmium netherlands agricultural");
    for r in &cd_nl[..2] {
        assert_eq!(r["title"], "Cadmium · Netherlands", "{r}");
        assert_value_first(r);
        assert!(!r["where"].as_str().unwrap().is_empty(), "source: {r}");
        assert!(
            r["href"]
                .as_str()
                .unwrap()
                .contains("/insop/manual/thresholds/contaminants/cd.html#nld-"),
            "{r}"
        );
    }
    let status = out["queries"]["cadmium netherlands agricultural"]["status"]
        .as_str()
        .unwrap();
    assert!(status.starts_with("Showing 10 of "), "{status}");

    // Prefix while typing, and one typo, both find the page first.
    assert_eq!(titles(&out, "cadm")[0], "Cadmium");
    assert_eq!(titles(&out, "cadmuim")[0], "Cadmium");
    // A title match above body matches.
    assert_eq!(
        titles(&out, "aqua regia")[0],
        "Aqua regia extraction of pseudo-total elements"
    );
    assert_eq!(titles(&out, "sampling")[0], "Sampling design");
    // Accents folded: the German term is written Prüfwert.
    let pruf = results(&out, "prufwert");
    assert!(pruf[0]["title"].as_str().unwrap().ends_with("· Germany"));
    assert!(
        pruf[0]["marks"]
            .as_array()
            .unwrap()
            .contains(&"Prüfwert".into())
    );
    // Plural to singular; an alias finds its contaminant; SOP codes without leading zeros.
    assert_eq!(titles(&out, "countries")[0], "Countries");
    assert_eq!(titles(&out, "camphechlor")[0], "Toxaphene");
    assert_eq!(
        titles(&out, "sop 3")[0],
        "DTPA-extractable (available) metals"
    );
    assert!(results(&out, "zzzqx").is_empty());
    assert_eq!(out["queries"]["zzzqx"]["status"], "No results");

    // Results matching every word come before those matching some.
    let words: Vec<u64> = serde_json::from_value(out["rank_words"].clone()).unwrap();
    assert_eq!(words[0], 3);
    assert!(words.windows(2).all(|w| w[0] >= w[1]), "{words:?}");

    // At most five records among the first results of a word count; the rest of them follow
    // that count's pages, never a result that matches fewer words.
    assert_eq!(
        out["picked"],
        serde_json::json!([0, 1, 2, 3, 4, 7, 8, 5, 6, 9]),
        "{out}"
    );

    // The browser splits, folds and stems as the index did.
    let js_words: Vec<Vec<String>> = serde_json::from_value(out["words"].clone()).unwrap();
    for (text, js) in WORDS.iter().zip(js_words) {
        let rust = pedon::index::text::terms(text);
        assert_eq!(js, rust, "{text}");
    }

    // Arrows move through the options, Escape closes, Enter opens the first result at its
    // heading, with the words marked on the page.
    let keys = &out["keys"];
    assert_eq!(keys["down"], "search_option_0");
    assert_eq!(keys["down_again"], "search_option_1");
    assert_eq!(keys["up"], "search_option_0");
    assert_eq!(keys["selected"], serde_json::json!(["search_option_0"]));
    assert_eq!(keys["escape_expanded"], "false");
    assert_eq!(keys["reopened"], "true");
    let followed = out["followed"].as_str().unwrap();
    let landed = &out["landed"];
    assert_eq!(landed["url"], followed);
    assert!(
        followed.contains("/insop/manual/") && followed.contains("highlight="),
        "{followed}"
    );
    if followed.contains('#') {
        let target = landed["target"].as_str().unwrap_or_default();
        assert!(
            target.starts_with('H'),
            "the link lands on a heading: {landed}"
        );
    }
    let marks: Vec<String> = serde_json::from_value(landed["marks"].clone()).unwrap();
    assert!(
        marks.iter().any(|m| m.eq_ignore_ascii_case("regia")),
        "{marks:?}"
    );
}

#[test]
fn search_works_from_file_urls() {
    if !available("browser::search_works_from_file_urls", &[Tool::Chromium]) {
        return;
    }
    let _browser = one_browser_at_a_time();
    // A reader who downloaded the site opens it from disk: no server, and fetch() refused.
    let (_tmp, out_dir) = bundled_site_under_sub_path();
    let page = std::fs::read_to_string(out_dir.join("manual/index.html")).unwrap();
    let harnessed = page.replace(
        "</body>",
        "<script>var QUERIES = [\"cadmium netherlands\", \"digestion\"];</script>\
         <script src=\"../search-harness.js\"></script></body>",
    );
    std::fs::write(out_dir.join("manual/search-file.html"), harnessed).unwrap();
    let url = format!(
        "file://{}",
        out_dir.join("manual/search-file.html").display()
    );
    let out = harness_result(&dump_dom(&url));
    assert!(out["error"].is_null(), "{out}");

    let cd_nl = results(&out, "cadmium netherlands");
    assert_eq!(cd_nl[0]["title"], "Cadmium · Netherlands");
    assert_value_first(&cd_nl[0]);
    let digestion = results(&out, "digestion");
    assert!(digestion.len() >= 3, "{out}");
    for r in cd_nl.iter().chain(&digestion) {
        let href = r["href"].as_str().unwrap();
        let path = href
            .strip_prefix("file://")
            .unwrap_or_else(|| panic!("{href}"));
        let path = path.split(['?', '#']).next().unwrap();
        assert!(Path::new(path).is_file(), "result links to a file: {href}");
    }
}

/// Opens `rel` of the bundled site from disk with the search harness typing `queries`.
fn search_from_file(out_dir: &Path, rel: &str, queries: &[&str]) -> serde_json::Value {
    let page = std::fs::read_to_string(out_dir.join(rel)).unwrap();
    let depth = rel.matches('/').count();
    let harnessed = page.replace(
        "</body>",
        &format!(
            "<script>var QUERIES = {};</script><script src=\"{}search-harness.js\"></script></body>",
            js_list(queries),
            "../".repeat(depth)
        ),
    );
    let harness_page = rel.replace(".html", "-search.html");
    std::fs::write(out_dir.join(&harness_page), harnessed).unwrap();
    let url = format!("file://{}", out_dir.join(&harness_page).display());
    let out = harness_result(&dump_dom(&url));
    assert!(out["error"].is_null(), "{out}");
    out
}

#[test]
fn search_in_chinese_and_arabic_finds_the_translated_pages() {
    if !available(
        "browser::search_in_chinese_and_arabic_finds_the_translated_pages",
        &[Tool::Chromium],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let (_tmp, out_dir) = bundled_site_under_sub_path();

    // Chinese has no spaces between words: a word of the home page is found inside its
    // sentences, and a one-character name (镉, cadmium) finds its page, all in the Chinese site.
    let zh = search_from_file(&out_dir, "zh/index.html", &["土壤污染", "镉"]);
    let soil = results(&zh, "土壤污染");
    assert!(
        soil.iter()
            .any(|r| r["href"].as_str().unwrap().contains("/zh/index.html")),
        "the translated home page: {zh}"
    );
    for r in &soil {
        assert!(r["href"].as_str().unwrap().contains("/zh/"), "{r}");
    }
    assert_eq!(titles(&zh, "镉")[0], "镉");
    let status = zh["queries"]["土壤污染"]["status"].as_str().unwrap();
    assert!(status.contains("条结果"), "Chinese status: {status}");

    // Arabic: the translated chapter, with or without the article and short vowels.
    let ar = search_from_file(
        &out_dir,
        "ar/manual/index.html",
        &["تلوث التربة", "تُرْبَة", "الكادميوم"],
    );
    for query in ["تلوث التربة", "تُرْبَة"] {
        let found = results(&ar, query);
        assert!(
            found.iter().any(|r| r["href"]
                .as_str()
                .unwrap()
                .contains("/ar/manual/01-introduction.html")),
            "{query}: {ar}"
        );
    }
    assert_eq!(titles(&ar, "الكادميوم")[0], "الكادميوم");
}

//! The bundled site as readers get it: built for a sub-path, served by a real nginx on 127.0.0.1
//! under `/insop/`, read by headless Chromium. Every link and fragment resolves; axe-core finds no
//! accessibility violation on the home page and one page of each kind; no request leaves
//! 127.0.0.1; an SOP prints without the navigation. Screenshots at phone and desktop widths are
//! written to `target/screenshots/` for a person to look at.

mod common;

use common::nginx::{Nginx, free_port, get};
use common::run_in;
use common::tools::{Tool, available, one_browser_at_a_time};
use common::webdriver::Browser;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

const PREFIX: &str = "/insop/";

/// nginx serving `site` at [`PREFIX`].
fn serve(site: &Path, port: u16) -> Nginx {
    Nginx::start(site, port, PREFIX)
}

/// The bundled site built for `http://127.0.0.1:PORT/insop/`.
fn build_bundled(port: u16) -> (tempfile::TempDir, PathBuf) {
    common::nginx::build_bundled(port, PREFIX)
}

/// The values of `attr="…"` in `html` (Pedon's own output: double-quoted attributes).
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let start = at + needle.len();
            html[start..].find('"').map(|len| &html[start..start + len])
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// `base` (a path ending in a file or `/`) joined with a relative reference, `..` resolved.
fn join(base: &str, reference: &str) -> String {
    if reference.starts_with('/') {
        return reference.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for part in reference.split('/') {
        match part {
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            "." => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn the_bundled_site_under_a_sub_path_has_no_broken_link_or_fragment() {
    if !available(
        "deploy::the_bundled_site_under_a_sub_path_has_no_broken_link_or_fragment",
        &[Tool::Nginx],
    ) {
        return;
    }
    let port = free_port();
    let (_out, site) = build_bundled(port);
    let nginx = serve(&site, port);

    // Start from the home page and follow every link on the site.
    let mut queue = vec![format!("{PREFIX}index.html")];
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut pages: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut wanted: Vec<(String, String, String)> = Vec::new(); // (from, path, fragment)
    let mut broken: BTreeMap<String, String> = BTreeMap::new();
    while let Some(path) = queue.pop() {
        let (status, body) = get(nginx.port, &path);
        if status != 200 {
            broken.insert(path.clone(), format!("status {status}"));
            continue;
        }
        if !path.ends_with(".html") && !path.ends_with('/') {
            continue;
        }
        let html = String::from_utf8_lossy(&body).into_owned();
        let ids: BTreeSet<String> = attributes(&html, "id").into_iter().map(unescape).collect();
        pages.insert(path.clone(), ids);
        for reference in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            let reference = unescape(reference);
            // Canonical links and feeds are absolute; they must work too.
            let own = nginx.url("");
            let reference = match reference.strip_prefix(&own) {
                Some(rest) => rest.to_string(),
                None if reference.starts_with("http://") || reference.starts_with("https://") => {
                    // Other hosts are not followed; the browser test checks nothing loads from them.
                    continue;
                }
                None => reference,
            };
            if reference.starts_with("mailto:") || reference.starts_with("data:") {
                continue;
            }
            let (target, fragment) = reference.split_once('#').unwrap_or((&reference, ""));
            let target = if target.is_empty() {
                path.clone()
            } else {
                let target = target.split('?').next().unwrap_or(target);
                percent_decode(&join(&path, target))
            };
            assert!(
                target.starts_with(PREFIX),
                "{path} links to `{reference}`, outside the sub-path"
            );
            // Every fragment names an element: state such as a filter lives in the query string
            // (link checkers treat a fragment as an id, and so do browsers).
            if !fragment.is_empty() {
                wanted.push((path.clone(), target.clone(), percent_decode(fragment)));
            }
            if seen.insert(target.clone()) {
                queue.push(target);
            }
        }
    }
    for (from, target, fragment) in &wanted {
        if let Some(ids) = pages.get(target)
            && !ids.contains(fragment)
        {
            broken.insert(
                format!("{target}#{fragment}"),
                format!("no such id (linked from {from})"),
            );
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{:#?}",
        broken.len(),
        broken
    );
    assert!(
        pages.len() > 100,
        "only {} pages reached from the home page",
        pages.len()
    );
    assert!(
        !wanted.is_empty(),
        "no fragment was checked: the crawl did not see the site"
    );

    // The 404 page works at any depth under the sub-path: its stylesheet and links are found.
    let (status, body) = get(nginx.port, &format!("{PREFIX}no/such/deep/page.html"));
    assert_eq!(status, 404);
    let html = String::from_utf8_lossy(&body);
    for href in attributes(&html, "href") {
        if href.starts_with('/') {
            let (status, _) = get(nginx.port, href.split('#').next().unwrap());
            assert_eq!(
                status, 200,
                "the 404 page links to {href}, which is {status}"
            );
        }
    }
    assert!(
        html.contains(&format!("href=\"{PREFIX}style.css\"")),
        "{html}"
    );
}

/// One page of each kind the bundled site has.
const PAGES: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("section", "manual/index.html"),
    ("chapter", "manual/04-heavy-metals.html"),
    ("sop", "sops/aqua-regia.html"),
    ("webinars", "webinars/index.html"),
    ("webinar", "webinars/2022-04-22-insop-launch.html"),
    ("explorer", "thresholds/index.html"),
    ("contaminant", "thresholds/contaminants/cd.html"),
    ("country", "thresholds/countries/chn.html"),
    ("print", "manual/print.html"),
    ("404", "no/such/page.html"),
    // Right to left, and a page shown in its original language inside another's site.
    ("arabic-chapter", "ar/manual/01-introduction.html"),
    ("arabic-contaminant", "ar/thresholds/contaminants/cd.html"),
    ("french-fallback", "fr/manual/02-sampling-design.html"),
];

fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/harness/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; scripts/test.sh installs axe-core (npm ci --prefix tests/harness)",
            path.display()
        )
    })
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_kind_of_page_is_accessible_and_requests_nothing_from_other_hosts() {
    if !available(
        "deploy::every_kind_of_page_is_accessible_and_requests_nothing_from_other_hosts",
        &[Tool::Nginx, Tool::Chromium, Tool::Chromedriver, Tool::Axe],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let port = free_port();
    let (_out, site) = build_bundled(port);
    let nginx = serve(&site, port);
    let axe = axe_source();
    let browser = Browser::start();
    let shots = screenshot_dir();
    let mut report = Vec::new();
    for (kind, path) in PAGES {
        let url = nginx.url(&format!("{PREFIX}{path}"));
        for (width, height, label) in [
            (1280, 900, "desktop"),
            (320, 640, "phone"),
            (1280, 900, "dark"),
        ] {
            // Dark mode follows the system: its colours must pass the contrast rules too.
            let scheme = if label == "dark" { "dark" } else { "light" };
            browser.cdp(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            );
            browser.set_size(width, height);
            browser.goto(&url);
            browser.wait_for(
                "document.readyState === 'complete'",
                Duration::from_secs(20),
            );
            std::fs::write(
                shots.join(format!("{kind}-{label}.png")),
                browser.screenshot(),
            )
            .unwrap();

            // Every resource the page loaded came from the test's own server.
            let resources = browser.eval(
                "return performance.getEntriesByType('resource').map(e => e.name)\
                 .concat([location.href]);",
            );
            for r in resources.as_array().unwrap() {
                let r = r.as_str().unwrap();
                assert!(
                    r.starts_with(&nginx.url("/")),
                    "{kind} ({label}) loaded {r} from another host"
                );
            }
            // Nothing wider than the screen (a phone reads without scrolling sideways).
            let overflow = browser.eval(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            );
            assert!(
                overflow.as_i64().unwrap_or(0) <= 0,
                "{kind} at {width} px scrolls sideways by {overflow} px"
            );

            // The contents menu is shown whole beside the text on a wide screen and closed above
            // it on a phone, both by the HTML and stylesheet alone: no script moves the page
            // after its first paint (Lighthouse's layout-shift check is in standards.rs).
            let menu = browser.eval(
                "const a = document.querySelector('.nav-menu a'); return a ? a.checkVisibility() : null;",
            );
            if !menu.is_null() {
                assert_eq!(
                    menu,
                    json!(width > 880),
                    "{kind} at {width} px: contents menu links visible?"
                );
            }

            browser.eval(&format!("{axe};\nreturn true;"));
            let result = browser.eval_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { resultTypes: ['violations'] })\
                   .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,\
                     nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary) }))))\
                   .catch(e => done([{ id: 'axe-error', help: String(e) }]));",
            );
            let violations = result.as_array().cloned().unwrap_or_default();
            if !violations.is_empty() {
                report.push(format!(
                    "{kind} ({label}, {path}):\n{}",
                    serde_json::to_string_pretty(&Value::Array(violations)).unwrap()
                ));
            }
        }
    }
    assert!(
        report.is_empty(),
        "axe-core found violations:\n{}",
        report.join("\n")
    );

    // The Arabic site is mirrored: the sidebar on the right, text from the right; a threshold
    // value still reads left to right.
    browser.set_size(1280, 900);
    browser.goto(&nginx.url(&format!("{PREFIX}ar/thresholds/contaminants/cd.html")));
    browser.wait_for(
        "document.readyState === 'complete'",
        Duration::from_secs(20),
    );
    let layout = browser.eval(
        "const r = s => document.querySelector(s).getBoundingClientRect();\
         const cell = document.querySelector('td.num bdi');\
         return { dir: getComputedStyle(document.body).direction,\
           sidebar: r('.sidebar').left, main: r('main').left,\
           h1_right: r('h1').right, main_right: r('main').right,\
           value_dir: getComputedStyle(cell).direction, value: cell.textContent };",
    );
    assert_eq!(layout["dir"], "rtl", "{layout}");
    assert!(
        layout["sidebar"].as_f64() > layout["main"].as_f64(),
        "sidebar on the right: {layout}"
    );
    let (h1, main) = (
        layout["h1_right"].as_f64().unwrap(),
        layout["main_right"].as_f64().unwrap(),
    );
    assert!(main - h1 < 60.0, "the title starts at the right: {layout}");
    assert_eq!(layout["value_dir"], "ltr", "{layout}");
    assert!(
        layout["value"].as_str().unwrap().ends_with("mg/kg"),
        "{layout}"
    );
}

#[test]
fn an_sop_prints_without_navigation_and_with_its_blocks() {
    if !available(
        "deploy::an_sop_prints_without_navigation_and_with_its_blocks",
        &[Tool::Nginx, Tool::Chromium, Tool::Chromedriver],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let port = free_port();
    let (_out, site) = build_bundled(port);
    let nginx = serve(&site, port);
    let browser = Browser::start();
    browser.set_size(1280, 900);
    browser.goto(&nginx.url(&format!("{PREFIX}sops/aqua-regia.html")));
    browser.wait_for(
        "document.readyState === 'complete'",
        Duration::from_secs(20),
    );
    let shown = |selector: &str| -> bool {
        browser
            .eval(&format!(
                "const e = document.querySelector('{selector}');\
                 return !!e && getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0;"
            ))
            .as_bool()
            .unwrap()
    };
    // On screen: navigation, and the print button the script reveals.
    assert!(shown(".sidebar") && shown(".site-header") && shown("[data-print]"));

    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    for chrome in [
        ".sidebar",
        ".site-header",
        ".breadcrumbs",
        ".pager",
        ".site-footer",
        "[data-print]",
        ".cite",
    ] {
        assert!(!shown(chrome), "`{chrome}` is printed");
    }
    for part in [
        ".sop-header",
        ".block.safety",
        ".block.equipment",
        ".block.reagents",
        ".revisions",
        ".content",
    ] {
        assert!(shown(part), "`{part}` is missing from the print");
    }
    // The page is laid out for paper: the article spans the printable width.
    let width =
        browser.eval("return document.querySelector('article').getBoundingClientRect().width;");
    assert!(
        width.as_f64().unwrap() > 500.0,
        "article is {width} px wide in print"
    );
    std::fs::write(screenshot_dir().join("sop-print.png"), browser.screenshot()).unwrap();
}

#[test]
fn the_offline_bundle_reads_navigates_and_searches_from_file_urls() {
    if !available(
        "deploy::the_offline_bundle_reads_navigates_and_searches_from_file_urls",
        &[Tool::Chromium, Tool::Chromedriver],
    ) {
        return;
    }
    let _browser = one_browser_at_a_time();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("insop-site");
    let zip = out.path().join("field-lab.zip");
    let run = run_in(
        root,
        &[
            "build",
            "--no-cache",
            "--output",
            site.to_str().unwrap(),
            "--bundle",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Bundled "), "{}", run.stderr);

    // Unzip somewhere else, as a field lab would.
    let laptop = tempfile::tempdir().unwrap();
    zip::ZipArchive::new(std::fs::File::open(&zip).unwrap())
        .expect("a zip archive")
        .extract(laptop.path())
        .expect("every entry extracts");
    let unzipped = laptop.path().join("field-lab");
    let in_zip = common::snapshot_tree(&unzipped);
    let built = common::snapshot_tree(&site);
    assert_eq!(
        in_zip.len(),
        built.len(),
        "the zip holds every file of the site"
    );
    assert!(in_zip == built, "the zip's files equal the built site's");

    let home = format!("file://{}/index.html", unzipped.display());
    let browser = Browser::start();
    browser.goto(&home);
    browser.wait_for(
        "document.readyState === 'complete'",
        Duration::from_secs(20),
    );
    // Navigation: the manual's link names its index.html, which a file:// browser needs.
    let manual = browser.eval(
        "const a = [...document.querySelectorAll('a')].find(a => a.textContent.includes('Technical Manual'));\
         return a && a.getAttribute('href');",
    );
    assert_eq!(manual, json!("manual/index.html"));
    browser.eval("document.querySelector('a[href=\"manual/index.html\"]').click(); return true;");
    browser.wait_for(
        "location.href.endsWith('/manual/index.html') && document.readyState === 'complete'",
        Duration::from_secs(20),
    );

    // Search, from the file:// page: results appear and lead to a page that exists.
    browser.wait_for(
        "!document.querySelector('[data-search]').hidden",
        Duration::from_secs(20),
    );
    browser.eval(
        "const i = document.getElementById('search_input'); i.focus(); i.value = 'aqua regia';\
         i.dispatchEvent(new Event('input', { bubbles: true })); return true;",
    );
    let first = browser.wait_for(
        "document.querySelector('#search_results li a') && document.querySelector('#search_results li a').href",
        Duration::from_secs(20),
    );
    let first = first.as_str().unwrap().to_string();
    assert!(first.starts_with("file://"), "{first}");
    let target = first
        .trim_start_matches("file://")
        .split(['?', '#'])
        .next()
        .unwrap()
        .to_string();
    assert!(Path::new(&target).is_file(), "search leads to {first}");
    let titles = browser.eval(
        "return [...document.querySelectorAll('#search_results li')].map(li => li.textContent).join(' | ');",
    );
    assert!(
        titles
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("aqua regia"),
        "{titles}"
    );
    // Nothing was asked of a server.
    let resources =
        browser.eval("return performance.getEntriesByType('resource').map(e => e.name);");
    for r in resources.as_array().unwrap() {
        assert!(r.as_str().unwrap().starts_with("file://"), "requested {r}");
    }
}

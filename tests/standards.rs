//! The bundled site judged by the outside tools that judge websites, as a reviewer would run them:
//! the Nu Html Checker (`vnu.jar` from npm, on Debian's Java) over every page written; Debian's
//! `linkchecker` crawling the site served by nginx under a sub-path, fragments included; and
//! Lighthouse (npm, driving Debian's Chromium) on a phone on one page of each kind. Each tool's
//! own verdict is the test: nothing here re-implements what they check.
//!
//! The tests of this binary run one at a time ([`one_browser_at_a_time`]): Lighthouse measures
//! speed, and a Java or Python process beside it on a 2-core machine would be measured too.

mod common;

use common::nginx::{Nginx, build_bundled, free_port};
use common::tools::{Tool, available, one_browser_at_a_time};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// A sub-path two levels deep, as an organisation's site would host the manual.
const PREFIX: &str = "/insop/manual/";

/// `path` relative to `root`, for messages.
fn relative(path: &str, root: &Path) -> String {
    let path = path.strip_prefix("file:").unwrap_or(path);
    Path::new(path)
        .strip_prefix(root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.to_string())
}

/// Straight to the terminal, past the test harness's capture: figures a person wants to read
/// even when the test passes.
fn tell(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    if !available(
        "standards::every_page_passes_the_nu_html_checker",
        &[Tool::Java, Tool::Vnu],
    ) {
        return;
    }
    let _alone = one_browser_at_a_time();
    let (_out, site) = build_bundled(free_port(), PREFIX);
    let pages = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages > 100, "only {pages} pages were built");
    // A page with one known error, so that a checker that read nothing cannot pass the test.
    let canary = site.join("zz-canary.html");
    std::fs::write(
        &canary,
        "<!doctype html><html lang=en><title>canary</title><p id=twice>a<p id=twice>b</html>",
    )
    .unwrap();

    let output = Command::new(Tool::Java.path())
        .arg("-jar")
        .arg(Tool::Vnu.path())
        .args([
            "--skip-non-html",
            "--errors-only",
            "--format",
            "json",
            "--stdout",
        ])
        .arg(&site)
        .output()
        .expect("run java -jar vnu.jar");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the Nu Html Checker printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut errors = Vec::new();
    let mut canary_seen = false;
    for m in report["messages"].as_array().expect("a message list") {
        let file = relative(m["url"].as_str().unwrap_or("?"), &site);
        let text = m["message"].as_str().unwrap_or("?");
        if file == "zz-canary.html" && text.contains("Duplicate ID") {
            canary_seen = true;
            continue;
        }
        errors.push(format!(
            "{file}:{}:{}: {} {text}\n    {}",
            m["lastLine"],
            m["firstColumn"]
                .as_u64()
                .or(m["lastColumn"].as_u64())
                .unwrap_or(0),
            m["type"].as_str().unwrap_or("?"),
            m["extract"].as_str().unwrap_or("").replace('\n', " ")
        ));
    }
    assert!(
        canary_seen,
        "the Nu Html Checker did not report the canary page's duplicate id: did it read the site?\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    tell(&format!(
        "standards: the Nu Html Checker read {pages} pages: {} errors",
        errors.len()
    ));
    assert!(
        errors.is_empty(),
        "the Nu Html Checker found {} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn a_standard_link_checker_finds_no_broken_link_or_fragment_under_a_sub_path() {
    if !available(
        "standards::a_standard_link_checker_finds_no_broken_link_or_fragment_under_a_sub_path",
        &[Tool::Nginx, Tool::Linkchecker],
    ) {
        return;
    }
    let _alone = one_browser_at_a_time();
    let port = free_port();
    let (_out, site) = build_bundled(port, PREFIX);
    let nginx = Nginx::start(&site, port, PREFIX);

    // linkchecker checks fragments only with its AnchorCheck plugin, which a configuration file
    // turns on. Run as root it drops to `nobody`, who must be able to read that file.
    let config_dir = tempfile::tempdir().unwrap();
    let config = config_dir.path().join("linkcheckerrc");
    // The server says it allows a fast crawl (see `Nginx`), so no wait between two requests.
    std::fs::write(
        &config,
        "[checking]\nmaxrequestspersecond=1000\n[AnchorCheck]\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let open = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(config_dir.path(), open).unwrap();
    }
    let start = nginx.url(&format!("{PREFIX}index.html"));
    let output = Command::new(Tool::Linkchecker.path())
        .arg("--config")
        .arg(&config)
        .args(["--no-status", "--output", "csv", "--verbose"])
        // With fragments checked, linkchecker fetches and parses a page once per fragment linked
        // (`page#a` and `page#b` are two URLs to it): the six languages took over 15 minutes on
        // 2 cores. It crawls the default language and checks every link into the others, whose
        // pages and fragments the crawler in `deploy.rs` follows, every one.
        .arg("--no-follow-url")
        .arg(format!("{PREFIX}(fr|es|ar|zh|ru)/"))
        // Likewise the 150 English contaminant and country pages, each many fragments' target:
        // linked and checked, not crawled (the crawler in `deploy.rs` reads every one). This
        // keeps the run to a minute or two; the whole English crawl took 9 minutes here.
        .arg("--no-follow-url")
        .arg(format!("{PREFIX}thresholds/(contaminants|countries)/"))
        // Other hosts are not crawled (no network here); their addresses are still parsed.
        .arg(&start)
        .env("HOME", config_dir.path())
        .output()
        .expect("run linkchecker");
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b';')
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(output.stdout.as_slice());
    let header = rows.headers().cloned().unwrap_or_default();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no `{name}` column in linkchecker's CSV: {header:?}"))
    };
    let (url, parent, line, col, result, warning, valid) = (
        column("urlname"),
        column("parentname"),
        column("line"),
        column("column"),
        column("result"),
        column("warningstring"),
        column("valid"),
    );
    let mut checked = 0;
    let mut fragments = 0;
    let mut broken = Vec::new();
    for row in rows.records() {
        let row = row.expect("a CSV row from linkchecker");
        checked += 1;
        if row[url].contains('#') {
            fragments += 1;
        }
        if &row[valid] != "True" || !row[warning].is_empty() {
            let from = row[parent]
                .strip_prefix(&nginx.url(""))
                .unwrap_or(&row[parent])
                .to_string();
            broken.push(format!(
                "{from}:{}:{}: `{}`: {} {}",
                &row[line], &row[col], &row[url], &row[result], &row[warning]
            ));
        }
    }
    broken.sort();
    broken.dedup();
    tell(&format!(
        "standards: linkchecker checked {checked} links ({fragments} with a fragment) under {PREFIX}: {} problems",
        broken.len()
    ));
    assert!(
        checked > 200 && fragments > 20,
        "linkchecker checked only {checked} links, {fragments} with a fragment: did it crawl the site?\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        broken.is_empty(),
        "linkchecker found {} broken links or fragments (file:line:column of the link):\n{}",
        broken.len(),
        broken.join("\n")
    );
}

/// One page of each kind, as Lighthouse is given it. The 404 page is audited at its own address:
/// Lighthouse refuses to audit a response with status 404, which is what nginx rightly sends for
/// a missing page (the deployment test checks that answer).
const LIGHTHOUSE_PAGES: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("chapter", "manual/04-heavy-metals.html"),
    ("sop", "sops/aqua-regia.html"),
    ("webinar", "webinars/2022-04-22-insop-launch.html"),
    ("explorer", "thresholds/index.html"),
    ("contaminant", "thresholds/contaminants/cd.html"),
    ("country", "thresholds/countries/chn.html"),
    ("404", "404.html"),
];

/// The four categories of Lighthouse 12; the least score each page must have (out of 100) in
/// all but performance.
const CATEGORIES: &[&str] = &["performance", "accessibility", "best-practices", "seo"];
/// Performance is a timing: on a shared machine it measures the machine as much as the page (the
/// same country page scored 74, 73 and 100 in three runs here). It is printed, as a benchmark's
/// figure, and never decides whether the test passes; the other three categories and the layout
/// shift do not depend on the machine's speed.
const TIMED: &str = "performance";
const LEAST_SCORE: f64 = 95.0;
/// Cumulative layout shift: nothing may move once painted (Lighthouse calls < 0.1 "good").
const MOST_SHIFT: f64 = 0.05;

/// What Lighthouse said of one page.
struct Audit {
    scores: Vec<(String, Option<f64>)>,
    shift: Option<f64>,
    /// The audits that cost points, for the failure message.
    losses: Vec<String>,
    error: Option<String>,
}

impl Audit {
    fn score(&self, category: &str) -> Option<f64> {
        self.scores
            .iter()
            .find(|(c, _)| c == category)
            .and_then(|(_, s)| *s)
    }

    fn line(&self) -> String {
        let mut parts: Vec<String> = self
            .scores
            .iter()
            .map(|(c, s)| match s {
                Some(s) => format!("{c} {s:.0}"),
                None => format!("{c} -"),
            })
            .collect();
        parts.push(match self.shift {
            Some(cls) => format!("CLS {cls:.3}"),
            None => "CLS -".into(),
        });
        if let Some(e) = &self.error {
            parts.push(format!("error: {e}"));
        }
        parts.join(", ")
    }
}

/// Runs Lighthouse's command line (mobile, its default) on `url` with Debian's Chromium.
fn lighthouse(url: &str) -> Audit {
    let profile = tempfile::tempdir().unwrap();
    let flags = format!(
        "--headless --no-sandbox --disable-gpu --disable-background-networking \
         --disable-component-update --disable-sync --no-first-run --user-data-dir={}",
        profile.path().display()
    );
    let output = Command::new(Tool::Node.path())
        .arg(Tool::Lighthouse.path())
        .arg(url)
        .args([
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            &format!("--chrome-flags={flags}"),
        ])
        // The browser Lighthouse drives is the system's: it never downloads one.
        .env("CHROME_PATH", Tool::Chromium.path())
        .output()
        .expect("run node lighthouse");
    let report: Value = match serde_json::from_slice(&output.stdout) {
        Ok(report) => report,
        Err(e) => {
            return Audit {
                scores: Vec::new(),
                shift: None,
                losses: Vec::new(),
                error: Some(format!(
                    "no report ({e}): {}",
                    String::from_utf8_lossy(&output.stderr)
                )),
            };
        }
    };
    let scores = CATEGORIES
        .iter()
        .map(|c| {
            let score = report["categories"][*c]["score"].as_f64();
            (c.to_string(), score.map(|s| (s * 100.0).round()))
        })
        .collect();
    let mut losses = Vec::new();
    for c in CATEGORIES {
        for r in report["categories"][*c]["auditRefs"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = r["id"].as_str().unwrap_or("?");
            let audit = &report["audits"][id];
            if r["weight"].as_f64().unwrap_or(0.0) > 0.0
                && audit["score"].as_f64().is_some_and(|s| s < 0.9)
            {
                losses.push(format!(
                    "{c}/{id}: {} {}",
                    audit["title"].as_str().unwrap_or(""),
                    audit["displayValue"].as_str().unwrap_or("")
                ));
            }
        }
    }
    Audit {
        scores,
        shift: report["audits"]["cumulative-layout-shift"]["numericValue"].as_f64(),
        losses,
        error: report["runtimeError"]["message"]
            .as_str()
            .map(str::to_string),
    }
}

/// Whether `audit` meets every bar; else what falls short.
fn shortfalls(audit: &Audit) -> Vec<String> {
    let mut short = Vec::new();
    if let Some(e) = &audit.error {
        short.push(format!("Lighthouse failed: {e}"));
    }
    for c in CATEGORIES.iter().filter(|c| **c != TIMED) {
        match audit.score(c) {
            Some(s) if s >= LEAST_SCORE => {}
            Some(s) => short.push(format!("{c} {s:.0} < {LEAST_SCORE}")),
            None => short.push(format!("{c}: no score")),
        }
    }
    match audit.shift {
        Some(cls) if cls < MOST_SHIFT => {}
        Some(cls) => short.push(format!("cumulative layout shift {cls:.3} >= {MOST_SHIFT}")),
        None => short.push("cumulative layout shift: not measured".into()),
    }
    short
}

#[test]
fn every_kind_of_page_scores_95_in_lighthouse_on_a_phone() {
    if !available(
        "standards::every_kind_of_page_scores_95_in_lighthouse_on_a_phone",
        &[Tool::Nginx, Tool::Chromium, Tool::Node, Tool::Lighthouse],
    ) {
        return;
    }
    let _alone = one_browser_at_a_time();
    let port = free_port();
    let (_out, site) = build_bundled(port, PREFIX);
    let nginx = Nginx::start(&site, port, PREFIX);
    let mut failures = Vec::new();
    for (kind, path) in LIGHTHOUSE_PAGES {
        let url = nginx.url(&format!("{PREFIX}{path}"));
        let audit = lighthouse(&url);
        tell(&format!(
            "standards: lighthouse {kind} ({path}): {}",
            audit.line()
        ));
        let short = shortfalls(&audit);
        if !short.is_empty() {
            failures.push(format!(
                "{kind} ({PREFIX}{path}): {}\n    {}",
                short.join("; "),
                audit.losses.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "Lighthouse (mobile): accessibility, best practices or SEO below {LEAST_SCORE}, or CLS >= {MOST_SHIFT}:\n{}",
        failures.join("\n")
    );
}

//! What a reader's browser does with the built site: headless Chromium (the system's `chromium`,
//! flags as the guide prescribes) loads pages from a real static server on 127.0.0.1 and a
//! small harness page reports, as JSON in its own DOM, what the page's scripts did.

mod common;

use common::SiteTest;
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
        let child = Command::new("python3")
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
    std::env::var("PEDON_CHROMIUM").unwrap_or_else(|_| "chromium".into())
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

const EXPLORER_HARNESS: &str = r##"<!doctype html><meta charset="utf-8">
<iframe id="f" src="thresholds/index.html#c=cd&k=NLD" width="1200" height="800"></iframe>
<pre id="out">pending</pre>
<script>
var f = document.getElementById("f");
f.onload = function () { setTimeout(function () {
  var d = f.contentDocument, out = {};
  var rows = function () { return [].slice.call(d.querySelectorAll("table.thresholds tbody tr")); };
  var visible = function () { return rows().filter(function (r) { return !r.hidden; }); };
  out.form_shown = !d.querySelector("form[data-explorer]").hidden;
  out.from_url = visible().length;
  out.count_text = d.querySelector(".filter-count").textContent;
  var k = d.querySelector("select[name=k]");
  k.value = "DEU";
  k.dispatchEvent(new Event("change", { bubbles: true }));
  out.after_change = visible().map(function (r) { return r.getAttribute("data-k"); });
  out.hash = f.contentWindow.location.hash;
  d.querySelector("form[data-explorer]").reset();
  setTimeout(function () {
    out.after_reset = visible().length;
    var button = d.querySelector("th.num button");
    button.click();
    out.ascending = visible().map(function (r) { return r.cells[r.cells.length - 2].getAttribute("data-v"); });
    out.aria_sort = d.querySelector("th.num").getAttribute("aria-sort");
    button.click();
    out.descending = visible().map(function (r) { return r.cells[r.cells.length - 2].getAttribute("data-v"); });
    document.getElementById("out").textContent = JSON.stringify(out);
  }, 50);
}, 100); };
</script>"##;

#[test]
fn explorer_filters_sorts_and_keeps_the_filter_in_the_url() {
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    site.write("public/harness.html", EXPLORER_HARNESS);
    let server = StaticServer::start(&site.path().join("public"));
    let dom = dump_dom(&format!("http://127.0.0.1:{}/harness.html", server.port));
    let out = harness_result(&dom);

    assert_eq!(
        out["form_shown"], true,
        "the filter form appears with JavaScript"
    );
    // #c=cd&k=NLD selects cadmium in the Netherlands: 2 of the 5 records.
    assert_eq!(out["from_url"], 2, "{out}");
    assert_eq!(out["count_text"], "2 of 5 values shown");
    assert_eq!(out["after_change"], serde_json::json!(["DEU", "DEU"]));
    assert_eq!(out["hash"], "#c=cd&k=DEU", "the URL holds the new filter");
    assert_eq!(out["after_reset"], 5);
    // Sorting by value: numbers in order, "no value" last; then reversed.
    let ascending: Vec<String> = serde_json::from_value(out["ascending"].clone()).unwrap();
    assert_eq!(ascending, ["0.1", "0.3", "0.3", "13", ""]);
    assert_eq!(out["aria_sort"], "ascending");
    let descending: Vec<String> = serde_json::from_value(out["descending"].clone()).unwrap();
    assert_eq!(descending, ["", "13", "0.3", "0.3", "0.1"]);
}

#[test]
fn explorer_table_reads_without_javascript() {
    // The server-rendered table is complete; the filter form stays hidden without the script.
    let site = SiteTest::from_fixture("data-site");
    site.build_ok(&[]);
    let html = site.read("public/thresholds/index.html");
    assert!(html.contains("<form class=\"filters\" data-explorer hidden"));
    assert_eq!(html.matches("<tr data-c=").count(), 5);
}

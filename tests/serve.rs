//! `pedon serve` over real HTTP on 127.0.0.1: pages from memory, 404s, refused traversal, HEAD,
//! port errors, and a reload event after an edit. Every wait is bounded.

mod common;

use common::SiteTest;
use common::server::start;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A raw HTTP/1.1 request; returns status, headers and body.
fn request(port: u16, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

fn get(port: u16, path: &str) -> (u16, String, String) {
    let (status, head, body) = request(port, "GET", path);
    (status, head, String::from_utf8_lossy(&body).into_owned())
}

#[test]
fn serves_the_site_under_its_base_path_from_memory() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    // Asked first: the server listens before its search index is built, and a request for it
    // waits for it rather than getting a 404.
    let (status, head, body) = get(server.port, "/insop/search/index.js");
    assert_eq!(status, 200, "{head}");
    assert!(body.starts_with("pedonSearch(\"index\""), "{body}");
    let (status, head, body) = get(server.port, "/insop/");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase().contains("content-type: text/html"),
        "{head}"
    );
    assert!(head.to_lowercase().contains("cache-control: no-store"));
    assert!(body.contains("<h1>Fixture manual</h1>"));
    assert!(
        body.contains("/insop/__pedon/events"),
        "reload script injected"
    );
    let (status, _, body) = get(server.port, "/insop/manual/01-intro.html");
    assert_eq!(status, 200);
    assert!(body.contains(r#"<h2 id="scope">"#));
    let (status, head, _) = get(server.port, "/insop/style.css");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: text/css"));
    let (status, head, _) = get(server.port, "/insop/images/profile.png");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: image/png"));
    assert!(!site.exists("public"), "serve writes nothing to disk");
}

#[test]
fn missing_pages_get_the_404_page_and_traversal_is_refused() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let (status, _, body) = get(server.port, "/insop/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    for path in [
        "/insop/../../etc/passwd",
        "/insop/%2e%2e/%2e%2e/etc/passwd",
        "/insop/..%5c..%5cpedon.toml",
        "/insop/%00",
    ] {
        let (status, _, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("root:") && !body.contains("base_url"),
            "{path} leaked a file"
        );
    }
    let (status, _, body) = request(server.port, "HEAD", "/insop/index.html");
    assert_eq!(status, 200);
    assert!(body.is_empty());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let site = SiteTest::from_fixture("manual");
    let run = site.run(&["serve", "--root", ".", "--port", &port]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
}

/// Subscribes to the reload events; each call returns the next event's data (bounded wait).
fn event_stream(port: u16) -> impl FnMut() -> String {
    let mut next = timed_event_stream(port);
    move || next(Duration::from_secs(20)).expect("an event within 20 s")
}

/// [`event_stream`], each call waiting at most the time it is given: `None` when no event came.
fn timed_event_stream(port: u16) -> impl FnMut(Duration) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /insop/__pedon/events HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(stream);
    move |wait| loop {
        events.get_ref().set_read_timeout(Some(wait)).unwrap();
        let mut line = String::new();
        match events.read_line(&mut line) {
            Ok(0) => panic!("event stream closed"),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return None;
            }
            Err(e) => panic!("event stream: {e}"),
        }
        if let Some(data) = line.strip_prefix("data: ") {
            return Some(data.trim().to_string());
        }
    }
}

#[test]
fn an_edit_sends_reload_and_a_broken_page_sends_its_error() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let mut next_data = event_stream(server.port);
    // Give the watcher a moment to be set up before editing.
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: Sampling\n---\n## Composite samples\n\nEdited text.\n",
    );
    assert_eq!(next_data(), "reload");
    let (_, _, body) = get(server.port, "/insop/manual/02-sampling.html");
    assert!(body.contains("Edited text."), "{body}");

    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: [Sampling\n---\n",
    );
    // The diagnostics as data, for the panel: the file, the line, the help.
    let error: serde_json::Value = serde_json::from_str(&next_data()).unwrap();
    assert_eq!(error["failed"], true);
    let first = &error["diagnostics"][0];
    assert_eq!(first["file"], "content/manual/02-sampling.md", "{error}");
    assert_eq!(first["line"], 2, "{error}");
    assert!(first["help"].is_string(), "{error}");
    // The last good page is still served, with the errors shown over it.
    let (status, _, body) = get(server.port, "/insop/manual/02-sampling.html");
    assert_eq!(status, 200);
    assert!(body.contains("Edited text."), "{body}");
    assert!(
        body.contains("\"failed\":true") && body.contains("/insop/__pedon/panel.js"),
        "the page carries the errors and the panel's script: {body}"
    );
}

/// An edit of a page's text only is shown before the rebuild, made against the last good build;
/// the rebuild makes the same page and sends no second event. A heading, which links into the
/// page may name, waits for the rebuild.
#[test]
fn an_edit_of_a_pages_text_is_shown_before_the_rebuild_with_one_reload() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let mut next_data = timed_event_stream(server.port);
    std::thread::sleep(Duration::from_millis(300));
    let page = "content/manual/02-sampling.md";
    let text = site.read(page);
    site.write(page, &format!("{text}\nA paragraph added.\n"));
    assert_eq!(
        next_data(Duration::from_secs(20)).as_deref(),
        Some("reload")
    );
    let (_, _, body) = get(server.port, "/insop/manual/02-sampling.html");
    assert!(body.contains("<p>A paragraph added.</p>"), "{body}");
    let shown = |line: &str| line.starts_with("Showed `content/manual/02-sampling.md` in ");
    assert!(server.log_line(Duration::from_secs(20), shown).is_some());
    assert!(
        (server.log_line(Duration::from_secs(20), |l| l.starts_with("Built "))).is_some(),
        "the rebuild follows"
    );
    assert_eq!(next_data(Duration::from_secs(1)), None, "a second event");
    let (_, _, rebuilt) = get(server.port, "/insop/manual/02-sampling.html");
    assert_eq!(
        rebuilt, body,
        "the rebuild made another page than the preview"
    );

    // A heading another page links to: not shown before the rebuild, which reports the link.
    site.write(page, &text.replace("## Composite samples", "## Composites"));
    let event = next_data(Duration::from_secs(20)).unwrap();
    assert!(
        event.contains("broken anchor: `#composite-samples`"),
        "{event}"
    );
    let line = server.log_line(Duration::from_secs(20), |l| {
        l.starts_with("error: build failed") || l.starts_with("Showed ")
    });
    assert!(
        line.is_some_and(|l| l.starts_with("error:")),
        "shown before the rebuild"
    );
    let (_, _, body) = get(server.port, "/insop/manual/02-sampling.html");
    assert!(
        body.contains("<p>A paragraph added.</p>"),
        "the last good page: {body}"
    );
}

#[test]
fn a_stylesheet_change_swaps_the_css_without_a_reload() {
    let site = SiteTest::from_fixture("manual");
    let server = start(&site, &[]);
    let mut next_data = event_stream(server.port);
    std::thread::sleep(Duration::from_millis(300));
    // A site stylesheet overriding the theme's: only style.css changes in the output.
    site.write(
        "themes/insop/static/style.css",
        "body { color: rebeccapurple; }\n",
    );
    assert_eq!(next_data(), "css");
    let (status, _, css) = get(server.port, "/insop/style.css?pedon=1");
    assert_eq!(status, 200);
    assert!(css.contains("rebeccapurple"), "{css}");
    // The page script knows what to do with it.
    let (_, _, page) = get(server.port, "/insop/index.html");
    assert!(page.contains("<script src=\"/insop/__pedon/panel.js\"></script>"));
    let (status, head, script) = get(server.port, "/insop/__pedon/panel.js");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/javascript"),
        "{head}"
    );
    assert!(
        script.contains("e.data === \"css\""),
        "swap handler in the live script"
    );
    // A content edit still reloads.
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: Sampling\n---\n## Composite samples\n\nEdited.\n",
    );
    assert_eq!(next_data(), "reload");
}

/// A page renamed while the preview runs: its open tab, reloading the old address, is sent to
/// the new one instead of the 404 page.
#[test]
fn a_page_renamed_during_the_session_sends_its_old_address_on() {
    let site = SiteTest::from_fixture("manual");
    site.write(
        "content/manual/09-annex.md",
        "---\ntitle: Annex\n---\nThe annex.\n",
    );
    let server = start(&site, &[]);
    let mut next_data = event_stream(server.port);
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(
        site.path().join("content/manual/09-annex.md"),
        site.path().join("content/manual/10-appendix.md"),
    )
    .unwrap();
    assert_eq!(next_data(), "reload");
    let (status, head, _) = request(server.port, "GET", "/insop/manual/09-annex.html");
    assert_eq!(status, 307, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("location: /insop/manual/10-appendix.html"),
        "{head}"
    );
    // A page that never existed is still a 404.
    let (status, _, _) = get(server.port, "/insop/manual/no-such-page.html");
    assert_eq!(status, 404);
}

/// Polls `path` until `done` holds for its body (bounded), and returns that body.
fn get_until(port: u16, path: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (_, _, body) = get(port, path);
        if done(&body) {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{path} never became what was waited for: {body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_starts_on_the_last_build_and_keeps_it_while_the_site_has_errors() {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&[]);
    let built = site.read("public/manual/02-sampling.html");
    // A mistake made after that build: this session's first build fails.
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: [Sampling\n---\n",
    );
    let server = start(&site, &[]);
    // The last build's page, at once and after the first build failed: never the placeholder.
    let body = get_until(server.port, "/insop/manual/02-sampling.html", |body| {
        body.contains("\"failed\":true")
    });
    let page = built.split("</body>").next().unwrap();
    assert!(body.starts_with(page), "the last build's page: {body}");
    assert!(body.contains("\"warm\":true"), "{body}");
    assert!(!body.contains("The site has errors"), "{body}");
    // Its search index too, without waiting for one.
    let (status, _, body) = get(server.port, "/insop/search/index.js");
    assert_eq!(status, 200);
    assert!(body.starts_with("pedonSearch(\"index\""), "{body}");

    let mut next_data = event_stream(server.port);
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "content/manual/02-sampling.md",
        "---\ntitle: Sampling\n---\n## Composite samples\n\nFixed text.\n",
    );
    assert_eq!(next_data(), "reload");
    let (_, _, body) = get(server.port, "/insop/manual/02-sampling.html");
    assert!(body.contains("Fixed text."), "{body}");
    assert!(body.contains("\"warm\":false"), "{body}");
    assert!(
        !site
            .read("public/manual/02-sampling.html")
            .contains("Fixed text."),
        "serve writes nothing to disk"
    );
}

#[test]
fn a_last_build_at_another_base_path_is_not_served() {
    let site = SiteTest::from_fixture("manual");
    site.build_ok(&["--base-url", "https://example.org/elsewhere/"]);
    let server = start(&site, &[]);
    let (status, _, body) = get(server.port, "/insop/manual/01-intro.html");
    assert_eq!(status, 200);
    assert!(body.contains("\"warm\":false"), "{body}");
    assert!(!body.contains("/elsewhere/"), "{body}");
}

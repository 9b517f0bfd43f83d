//! The preview's HTTP side: files from the in-memory output only (so no URL can reach a file
//! outside the site, whatever its dots, encodings or symlinks), the 404 page with status 404,
//! `no-store` caching, and a server-sent-events endpoint that tells pages to reload.

use super::{Problems, Shared};
use crate::output::OutputFile;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

const EVENTS: &str = "__pedon/events";

const PANEL: &str = "__pedon/panel.js";
const OPEN: &str = "__pedon/open";

/// The live script (`panel.js`): swaps what an edit changed in place (or reloads, keeping the
/// scroll position); swaps stylesheets and images; shows the build's diagnostics in a panel.
const PANEL_JS: &str = include_str!("panel.js");

/// What is added before `</body>` of every served page: the live script and what it needs
/// (the events URL, the current diagnostics, how to open the editor, whether the page is the last
/// `pedon build`'s, served until the preview is built). Once the event stream is
/// open and the page as served is fetched (to compare edits with), the page carries
/// `data-pedon-live` on `<html>`: from then on an edit reaches it in place (browser
/// tests wait for it before editing).
fn live_script(shared: &Shared, problems: Option<&Problems>, warm: bool) -> String {
    let base = &shared.base_path;
    let editor = match &shared.editor {
        Some(e) if e.is_url => serde_json::json!({ "url": e.template }),
        Some(e) => serde_json::json!({ "token": e.token }),
        None => serde_json::Value::Null,
    };
    let config = serde_json::json!({
        "events": format!("{base}{EVENTS}"),
        "base": base,
        "cwd": shared.cwd,
        "failed": problems.is_some_and(|p| p.failed),
        "warm": warm,
        "editor": editor,
    });
    let diagnostics = problems.map_or("[]", |p| p.json.as_str());
    // `</` never closes the script early, whatever an editor wrote in a message.
    let data =
        format!("{{\"config\":{config},\"diagnostics\":{diagnostics}}}").replace("</", "<\\/");
    format!(
        "<script>(function(){{var d={data};window.__pedon=d.config;window.__pedon.diagnostics=d.diagnostics;}})();</script>\
         <script src=\"{base}{PANEL}\"></script>"
    )
}

/// The page shown for any page's address while no build has succeeded yet: something to put
/// the panel over, which reloads into the site when the mistakes are fixed.
const PLACEHOLDER: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Pedon preview: the site has errors</title>\
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem}</style></head>\
<body><main><h1>The site has errors</h1><p>Pedon has not been able to build the site yet. The \
problems are listed below and in the terminal; this page turns into the site as soon as they are \
fixed.</p></main></body></html>";

pub fn run(server: Server, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || handle(request, &shared));
    }
}

fn handle(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let Some(path) = site_path(request.url(), &shared.base_path) else {
        let _ = request.respond(Response::from_string("bad request").with_status_code(400));
        return;
    };
    if path == EVENTS {
        events(request, shared);
        return;
    }
    if path == PANEL {
        let response = Response::from_string(PANEL_JS)
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(response);
        return;
    }
    if path == OPEN {
        let status = open_in_editor(request.url(), shared);
        let _ = request.respond(Response::empty(status));
        return;
    }
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.clone(), format!("{path}/index.html")]
    };
    let (output, preview, index, problems, has_site, moved, warm) = {
        let mut state = shared.state.lock().expect("state lock");
        // Until the first index is built, a file that is not a page may be one of it; the last
        // build's folder, while it is served, has its index.
        let is_page = candidates.iter().any(|c| state.output.get(c).is_some())
            || (state.preview.as_deref())
                .is_some_and(|p| candidates.iter().any(|c| p.get(c).is_some()));
        if state.index.is_none() && state.warm.is_none() && !is_page {
            state = (shared.changed)
                .wait_timeout_while(state, Duration::from_secs(60), |s| {
                    s.index.is_none() && s.warm.is_none()
                })
                .expect("state lock")
                .0;
        }
        (
            Arc::clone(&state.output),
            state.preview.clone().unwrap_or_default(),
            state.index.clone().unwrap_or_default(),
            state.problems.clone(),
            state.has_site,
            candidates.iter().find_map(|c| state.moved.get(c).cloned()),
            state.warm.clone(),
        )
    };
    // The index is written over the pages by `pedon build`: it comes first here too.
    let get = |path: &str| {
        (index.get(path))
            .or_else(|| preview.get(path))
            .or_else(|| output.get(path))
            .cloned()
            .or_else(|| warm.as_deref().and_then(|dir| warm_file(dir, path)))
    };
    let found = candidates
        .iter()
        .find_map(|c| get(c).map(|f| (c.clone(), f)));
    // A page renamed during the session: its open tab, reloading, is sent to the new address.
    if let (None, Some(to)) = (&found, moved) {
        let location = format!("{}{to}", shared.base_path);
        let response = Response::empty(307)
            .with_header(header("Location", &location))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(response);
        return;
    }
    let (status, name, file) = match found {
        Some((name, file)) => (200, name, Some(file)),
        None => (404, "404.html".to_string(), get("404.html")),
    };
    // Before the first good build every page is the placeholder, so the panel has a page to
    // show on and the reader's address is kept for the reload into the site.
    let wants_page = path.is_empty() || path.ends_with('/') || path.ends_with(".html");
    let (status, name, mut body) = match file {
        Some(OutputFile::Bytes(bytes)) => (status, name, bytes.to_vec()),
        Some(OutputFile::Copy(from)) => (status, name, std::fs::read(from).unwrap_or_default()),
        // The preview holds its output in memory; nothing is staged.
        Some(OutputFile::Staged) => (status, name, Vec::new()),
        None if !has_site && wants_page => (200, "index.html".into(), PLACEHOLDER.into()),
        None => (status, "not-found.txt".into(), b"not found".to_vec()),
    };
    let content_type = mime(&name);
    if content_type.starts_with("text/html") {
        body = with_live_script(body, shared, problems.as_deref(), warm.is_some());
    }
    let head = *request.method() == Method::Head;
    let len = body.len();
    let response = Response::new(
        status.into(),
        vec![
            header("Content-Type", content_type),
            header("Cache-Control", "no-store"),
        ],
        std::io::Cursor::new(if head { Vec::new() } else { body }),
        Some(len),
        None,
    )
    // The whole page is in memory: always say its length, never chunk it, so a client (and a
    // test) can tell a whole page from a cut one.
    .with_chunked_threshold(usize::MAX);
    let _ = request.respond(response);
}

/// The file at `rel` of the last build's folder `dir`, as a file to copy: a regular file only,
/// never a symbolic link (which could lead out of the site) or a folder. `rel` is a
/// [`site_path`], so it cannot climb out of `dir`.
fn warm_file(dir: &std::path::Path, rel: &str) -> Option<OutputFile> {
    let path = dir.join(rel);
    let metadata = std::fs::symlink_metadata(&path).ok()?;
    metadata.is_file().then_some(OutputFile::Copy(path))
}

/// Adds the live script, with the current diagnostics.
fn with_live_script(
    body: Vec<u8>,
    shared: &Shared,
    problems: Option<&Problems>,
    warm: bool,
) -> Vec<u8> {
    let mut html = String::from_utf8(body).unwrap_or_default();
    let script = live_script(shared, problems, warm);
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &script),
        None => html.push_str(&script),
    }
    html.into_bytes()
}

/// `__pedon/open?token=…&file=…&line=…&col=…`: runs the editor command on a file of the site.
fn open_in_editor(url: &str, shared: &Shared) -> u16 {
    let Some(editor) = shared.editor.as_ref().filter(|e| !e.is_url) else {
        return 404;
    };
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let mut file = None;
    let (mut line, mut col, mut token) = (1, 1, None);
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(&value.replace('+', " "));
        match (key, value) {
            ("file", Some(v)) => file = Some(v),
            ("line", Some(v)) => line = v.parse().unwrap_or(1),
            ("col", Some(v)) => col = v.parse().unwrap_or(1),
            ("token", Some(v)) => token = Some(v),
            _ => {}
        }
    }
    if token.as_deref() != Some(editor.token.as_str()) {
        return 403;
    }
    match file.map(|f| editor.open(&f, line, col)) {
        Some(Ok(())) => 204,
        Some(Err(e)) => {
            eprintln!("warning: could not open the editor: {e:#}");
            404
        }
        None => 400,
    }
}

/// Server-sent events: `reload` after a good rebuild, the diagnostics (as a JSON string) after a
/// failed one. Headers are written by hand: tiny_http would chunk the stream.
fn events(request: Request, shared: &Shared) {
    let mut generation = shared.state.lock().expect("state lock").generation;
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = {
            let state = shared.state.lock().expect("state lock");
            let (state, _) = shared
                .changed
                .wait_timeout_while(state, Duration::from_secs(15), |s| {
                    s.generation == generation
                })
                .expect("state lock");
            if state.generation == generation {
                ": keep-alive\n\n".to_string()
            } else {
                generation = state.generation;
                match &state.problems {
                    Some(p) if p.failed => {
                        format!("data: {{\"failed\":true,\"diagnostics\":{}}}\n\n", p.json)
                    }
                    _ => match &state.change {
                        super::Change::Css => "data: css\n\n".to_string(),
                        super::Change::Files(files) => {
                            format!("data: {}\n\n", serde_json::json!({ "files": files }))
                        }
                        super::Change::Reload => "data: reload\n\n".to_string(),
                    },
                }
            }
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The output path a request URL names, below the base path; `None` for anything that could
/// climb out of the site (`..`, encoded dots, backslashes, NUL).
pub fn site_path(url: &str, base_path: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let within = decoded
        .strip_prefix(base_path)
        .or_else(|| (decoded.clone() + "/").strip_prefix(base_path).map(|_| ""))?;
    let mut parts = Vec::new();
    for part in within.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if within.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "ics" => "text/calendar; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::{site_path, warm_file};
    use crate::output::OutputFile;

    /// The last build's folder gives its regular files only: a symbolic link placed in it (to a
    /// file outside the site) and a folder are not found.
    #[cfg(unix)]
    #[test]
    fn the_last_build_serves_its_files_and_no_link() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>site</p>").unwrap();
        std::fs::create_dir(dir.path().join("manual")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("secret.txt"),
        )
        .unwrap();
        assert!(matches!(
            warm_file(dir.path(), "index.html"),
            Some(OutputFile::Copy(path)) if path == dir.path().join("index.html")
        ));
        assert!(warm_file(dir.path(), "secret.txt").is_none());
        assert!(warm_file(dir.path(), "manual").is_none());
        assert!(warm_file(dir.path(), "missing.html").is_none());
    }

    #[test]
    fn paths_that_climb_out_are_refused() {
        assert_eq!(
            site_path("/manual/a.html", "/").as_deref(),
            Some("manual/a.html")
        );
        assert_eq!(site_path("/insop/", "/insop/").as_deref(), Some(""));
        assert_eq!(site_path("/insop", "/insop/").as_deref(), Some(""));
        assert_eq!(site_path("/other/a.html", "/insop/"), None);
        assert_eq!(site_path("/../etc/passwd", "/"), None);
        assert_eq!(site_path("/%2e%2e/etc/passwd", "/"), None);
        assert_eq!(site_path("/a%5c..%5cb", "/"), None);
        assert_eq!(site_path("/a%00", "/"), None);
        assert_eq!(site_path("/%zz", "/"), None);
    }
}

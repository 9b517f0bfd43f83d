//! The preview's HTTP side: files from the in-memory output only (so no URL can reach a file
//! outside the site, whatever its dots, encodings or symlinks), the 404 page with status 404,
//! `no-store` caching, and a server-sent-events endpoint that tells pages to reload.

use super::Shared;
use crate::output::OutputFile;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

const EVENTS: &str = "__pedon/events";

/// The script added before `</body>` of every served page: reload on `reload` events, and one
/// overlay (`show`) for errors, whether they come with the page or arrive later as an event.
/// Once the event stream is open the page carries `data-pedon-live` on `<html>`: from then on an
/// edit reaches it (browser tests wait for it before editing).
fn reload_script(base_path: &str, errors: Option<&str>) -> String {
    let initial = errors
        .map(|e| {
            let json = serde_json::to_string(e)
                .unwrap_or_default()
                .replace("</", "<\\/");
            format!("show({json});")
        })
        .unwrap_or_default();
    format!(
        "<script>(function(){{function show(t){{var o=document.getElementById(\"pedon-errors\");\
if(!o){{o=document.createElement(\"pre\");o.id=\"pedon-errors\";o.setAttribute(\"role\",\"alert\");\
o.style.cssText=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1rem;background:#2b0b0b;color:#fde8e8;font:13px/1.4 monospace;z-index:99;white-space:pre-wrap\";\
document.body.appendChild(o);}}o.textContent=t;}}{initial}var s=new EventSource(\"{base_path}{EVENTS}\");\
s.onopen=function(){{document.documentElement.setAttribute(\"data-pedon-live\",\"\");}};\
s.onmessage=function(e){{if(e.data===\"reload\")location.reload();\
else if(e.data===\"css\")document.querySelectorAll(\"link[rel=stylesheet]\").forEach(function(l){{var u=new URL(l.href);u.searchParams.set(\"pedon\",Date.now());l.href=u.href;}});\
else show(JSON.parse(e.data));}};}})();</script>"
    )
}

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
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.clone(), format!("{path}/index.html")]
    };
    let (output, index, errors) = {
        let mut state = shared.state.lock().expect("state lock");
        // Until the first index is built, a file that is not a page may be one of it.
        let is_page = candidates.iter().any(|c| state.output.get(c).is_some());
        if state.index.is_none() && !is_page {
            state = (shared.changed)
                .wait_timeout_while(state, Duration::from_secs(60), |s| s.index.is_none())
                .expect("state lock")
                .0;
        }
        (
            Arc::clone(&state.output),
            state.index.clone().unwrap_or_default(),
            state.errors.clone(),
        )
    };
    // The index is written over the pages by `pedon build`: it comes first here too.
    let get = |path: &str| index.get(path).or_else(|| output.get(path));
    let found = candidates
        .iter()
        .find_map(|c| get(c).map(|f| (c.clone(), f)));
    let (status, name, file) = match found {
        Some((name, file)) => (200, name, Some(file)),
        None => (404, "404.html".to_string(), get("404.html")),
    };
    let mut body = match file {
        Some(OutputFile::Bytes(bytes)) => bytes.to_vec(),
        Some(OutputFile::Copy(from)) => std::fs::read(from).unwrap_or_default(),
        None if errors.is_some() => Vec::new(),
        None => b"not found".to_vec(),
    };
    let content_type = if file.is_some() || errors.is_some() {
        mime(&name)
    } else {
        "text/plain; charset=utf-8"
    };
    if content_type.starts_with("text/html") {
        body = with_reload(body, &shared.base_path, errors.as_deref());
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

/// Adds the reload script, and the current errors when the last build failed.
fn with_reload(body: Vec<u8>, base_path: &str, errors: Option<&String>) -> Vec<u8> {
    let mut html = String::from_utf8(body).unwrap_or_default();
    let script = reload_script(base_path, errors.map(String::as_str));
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &script),
        None => html.push_str(&script),
    }
    html.into_bytes()
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
                match &state.errors {
                    None if state.change == super::Change::Css => "data: css\n\n".to_string(),
                    None => "data: reload\n\n".to_string(),
                    Some(e) => format!(
                        "data: {}\n\n",
                        serde_json::to_string(e.as_str()).unwrap_or_default()
                    ),
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
    use super::site_path;

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
